"""A checkbox whose state reads without colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """Textual's Checkbox draws the same X ticked or not and tells them apart by colour
    alone; this one leaves the box empty until it is ticked (NO_COLOR, monochrome)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
