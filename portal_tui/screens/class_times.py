"""How a weekly class's meeting time reads: "Mon 16:00–16:45"."""

from __future__ import annotations

from datetime import time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def class_when(weekday: int, start: time, end: time) -> str:
    """The weekday (0 = Monday) and local times of a class, e.g. "Mon 16:00–16:45"."""
    return f"{WEEKDAYS[weekday]} {start.strftime('%H:%M')}–{end.strftime('%H:%M')}"
