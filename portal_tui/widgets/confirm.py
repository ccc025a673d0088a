"""A yes/no question before anything destructive, naming the thing it is about."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from portal_tui.widgets.safe import safe


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True when the user confirms; Escape or "Keep" answers False."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: round $error; padding: 0 1; background: $surface;
    }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 1; }
    """
    BINDINGS = [Binding("escape", "keep", "Keep", id="confirm-keep")]
    AUTO_FOCUS = "#keep"

    def __init__(self, question: str, *, confirm: str, keep: str = "Keep") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm
        self.keep_label = keep

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.question), id="question")
            with Horizontal():
                yield Button(self.confirm_label, variant="error", id="confirm", compact=True)
                yield Button(self.keep_label, id="keep", compact=True)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        self.dismiss(False)
