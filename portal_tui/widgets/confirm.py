"""Short modal dialogs: a yes/no question before anything destructive, naming the thing it is
about (`ConfirmScreen`), and a notice the user acknowledges with one button
(`AcknowledgeScreen`). Both are a `Dialog`: a centred box, its text, a row of buttons."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from portal_tui.widgets.safe import safe

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A centred box: what `compose_body` shows, then the buttons of `compose_buttons`."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: round $error; padding: 0 1; background: $surface;
    }
    Dialog > Vertical > .dialog-buttons { height: auto; margin-top: 1; }
    Dialog Button { margin-right: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield from self.compose_body()
            with Horizontal(classes="dialog-buttons"):
                yield from self.compose_buttons()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def compose_buttons(self) -> ComposeResult:
        raise NotImplementedError


class ConfirmScreen(Dialog[bool]):
    """Dismisses True when the user confirms; Escape or "Keep" answers False."""

    BINDINGS = [Binding("escape", "keep", "Keep", id="confirm-keep")]
    AUTO_FOCUS = "#keep"

    def __init__(self, question: str, *, confirm: str, keep: str = "Keep") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm
        self.keep_label = keep

    def compose_body(self) -> ComposeResult:
        yield Static(safe(self.question), id="question")

    def compose_buttons(self) -> ComposeResult:
        yield Button(self.confirm_label, variant="error", id="confirm", compact=True)
        yield Button(self.keep_label, id="keep", compact=True)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        self.dismiss(False)


class AcknowledgeScreen(Dialog[None]):
    """A notice with one button ("Done"); it or Escape closes it."""

    DEFAULT_CSS = "AcknowledgeScreen > Vertical { border: round $success; }"
    BINDINGS = [Binding("escape", "close", "Close", id="acknowledge-close")]
    AUTO_FOCUS = "#done"

    def __init__(self, message: str = "", *, done: str = "Done") -> None:
        super().__init__()
        self.notice = message
        self.done_label = done

    def compose_body(self) -> ComposeResult:
        yield Static(safe(self.notice), id="message")

    def compose_buttons(self) -> ComposeResult:
        yield Button(self.done_label, id="done", compact=True)

    @on(Button.Pressed, "#done")
    def action_close(self) -> None:
        self.dismiss(None)
