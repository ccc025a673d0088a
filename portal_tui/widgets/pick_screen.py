"""A list to pick one thing from (a makeup token, a class session, a class to transfer into)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from portal_tui.widgets.safe import safe, safe_text


class PickScreen(ModalScreen[int | None]):
    """Dismisses with the id of the option picked (Enter), or None (Escape)."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical {
        width: 92; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    PickScreen #pick-title { text-style: bold; }
    PickScreen OptionList { height: auto; max-height: 16; margin-top: 1; }
    PickScreen #pick-help { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick-cancel")]
    AUTO_FOCUS = "OptionList"

    def __init__(self, title: str, choices: Sequence[tuple[int, str]], intro: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.intro = intro
        """A line under the title saying what the choices are (none if empty)."""
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), id="pick-title")
            if self.intro:
                yield Static(safe(self.intro), id="pick-intro")
            yield OptionList(
                *(Option(safe_text(label), id=str(key)) for key, label in self.choices)
            )
            yield Static("Enter picks, Escape cancels.", id="pick-help")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
