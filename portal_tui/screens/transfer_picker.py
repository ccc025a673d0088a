"""Transfer Enrollments, step one: pick the class to move into (the server's options)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from portal_tui.screens.class_times import class_when
from portal_tui.widgets.safe import safe, safe_text
from portal_tui.wire.enrollments import TransferOption


def option_label(option: TransferOption) -> str:
    """The class picked: name, where, when, who teaches, and its open seats."""
    when = class_when(option.weekday, option.start_time, option.end_time)
    seats = f"{option.open_seats} seat{'s' if option.open_seats != 1 else ''} open"
    teacher = f" · {option.instructor}" if option.instructor else ""
    return f"{option.class_name} · {option.location_name} · {when}{teacher} · {seats}"


class TransferPicker(ModalScreen[TransferOption | None]):
    """Dismisses with the class picked, or None (Escape, Cancel)."""

    DEFAULT_CSS = """
    TransferPicker { align: center middle; }
    TransferPicker > Vertical {
        width: 92; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    TransferPicker #transfer-title { text-style: bold; }
    TransferPicker OptionList { height: auto; max-height: 12; margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="transfer-cancel")]
    AUTO_FOCUS = "OptionList"

    def __init__(self, student: str, leaving_label: str, options: list[TransferOption]) -> None:
        super().__init__()
        self.student = student
        self.leaving_label = leaving_label
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(f"Transfer Enrollments: {self.student}"), id="transfer-title")
            leaving = f"Leaving {self.leaving_label}. Same-level classes with a seat open:"
            yield Static(safe(leaving))
            yield OptionList(
                *(Option(safe_text(option_label(o)), id=str(o.class_id)) for o in self.options),
                id="transfer-options",
            )
            yield Static("Enter picks a class; you confirm before anything changes.")
            yield Button("Cancel", id="cancel", compact=True)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
