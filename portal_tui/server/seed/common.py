"""Dates, instants and labels shared by the demo and bulk generators."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal_tui.server.security import hash_demo_password
from portal_tui.wire.demo import DEMO_PASSWORD

TIME_ZONE = "America/Chicago"
ZONE = ZoneInfo(TIME_ZONE)
SEED = 20260302
"""The one seed every generator's `random.Random` starts from."""

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def demo_password_hash() -> str:
    """The demo password's cheap hash, with a salt of its own: one per seeded login."""
    return hash_demo_password(DEMO_PASSWORD)


def local_instant(day: date, at: time) -> datetime:
    """The aware UTC instant of local wall-clock `at` on `day` in the business's zone."""
    return datetime.combine(day, at, ZONE).astimezone(UTC)


def stamp(day: date) -> datetime:
    """A fixed UTC instant on `day`, for `created_at` and similar bookkeeping columns."""
    return datetime.combine(day, time(15, 0), UTC)


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s month."""
    months = (last.year - first.year) * 12 + last.month - first.month
    return [months_back(last, back) for back in range(months, -1, -1)]


def month_label(day: date) -> str:
    """`Mar 2026`, independent of the process's locale."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def day_label(day: date) -> str:
    """`Mar 2`, independent of the process's locale."""
    return f"{MONTHS[day.month - 1]} {day.day}"


def next_weekday(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def tuition_description(class_name: str, month: date) -> str:
    return f"Tuition – {class_name} ({month_label(month)})"
