"""A one-line search box: plain text only; Escape clears it, and once empty moves focus on."""

from __future__ import annotations

from textual.binding import Binding

from portal_tui.widgets.safe import PlainInput


class SearchBox(PlainInput):
    """Escape clears the text; pressed again (empty), focus moves to what follows the box."""

    BINDINGS = [Binding("escape", "clear", "Clear search", id="search.clear")]

    def action_clear(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.screen.focus_next()
