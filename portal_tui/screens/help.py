"""The help screen: the keys of the screen below it, and how to reach every command."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from portal_tui.widgets.safe import safe


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened over."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="close-help")]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.bindings = list(bindings)

    def compose(self) -> ComposeResult:
        lines: list[str] = []
        seen: set[str] = set()
        for binding in self.bindings:
            if binding.description and binding.description not in seen:
                seen.add(binding.description)
                lines.append(f"  {self.app.get_key_display(binding):<12} {binding.description}")
        lines += [
            "",
            "  Ctrl+P       Command palette: type any label,",
            "               e.g. Students, Transaction History, Sign Out",
            "  Tab          Move between fields and tabs",
            "",
            "Escape closes this help.",
        ]
        with VerticalScroll(id="help-box"):
            yield Static(Content.assemble(("Keys", "bold"), "\n\n", safe("\n".join(lines))))
