"""How class times and seats read, the same in every view: "Mon 16:00–16:45",
"Sat 2026-03-07", "3 seats open" (weekday names in English, whatever the locale)."""

from __future__ import annotations

from datetime import date, time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def class_when(weekday: int, start: time, end: time) -> str:
    """The weekday (0 = Monday) and local times of a class, e.g. "Mon 16:00–16:45"."""
    return f"{WEEKDAYS[weekday]} {start.strftime('%H:%M')}–{end.strftime('%H:%M')}"


def day_label(day: date) -> str:
    """A day with its weekday, e.g. "Sat 2026-03-07"."""
    return f"{WEEKDAYS[day.weekday()]} {day.isoformat()}"


def seats_open(count: int) -> str:
    """E.g. "1 seat open", "8 seats open"."""
    return f"{count} seat{'s' if count != 1 else ''} open"
