"""The help screen: the keys of the screen below it, and how to reach every command."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists the bindings that are active beneath it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="close-help")]

    def compose(self) -> ComposeResult:
        below = self.app.screen_stack[-1]
        lines = ["[b]Keys[/b]", ""]
        for active in below.active_bindings.values():
            binding = active.binding
            if binding.description:
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
            yield Static("\n".join(lines), markup=True)
