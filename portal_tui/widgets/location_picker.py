"""The header's switcher of the currently selected Location: a compact Select of the
business's locations."""

from __future__ import annotations

from portal_tui.widgets.choice import Choice
from portal_tui.widgets.safe import safe_text
from portal_tui.wire.settings import LocationOut


class LocationPicker(Choice[int]):
    """Pick the currently selected Location; posts Choice.Changed like any Choice."""

    def __init__(self, locations: list[LocationOut], selected: int, *, id: str | None = None):
        super().__init__(
            [(safe_text(location.name), location.id) for location in locations],
            value=selected,
            allow_blank=False,
            prompt="Location",
            compact=True,
            id=id,
        )
