"""The business's local time: its zone, its today, and turning local dates and times into UTC
instants and back. Class days and times are local to the business; rows hold UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from portal_tui.server import clock, tables
from portal_tui.server.errors import Invalid


def business_zone(business: tables.Business) -> ZoneInfo:
    """The business's time zone (FamilyAccess.zone holds it for a family's request)."""
    return ZoneInfo(business.time_zone)


def business_today(local: ZoneInfo) -> date:
    """Today's date where the business is (`PORTAL_TODAY` when set, as clock.today)."""
    return clock.today(local)


def local_instant(day: date, at: time, local: ZoneInfo, field: str | None = None) -> datetime:
    """The UTC instant of wall-clock `at` on `day`. With `field` (a request's), a time the
    clocks skip that day is refused (422 on that field)."""
    wall = datetime.combine(day, at, local)
    instant = wall.astimezone(UTC)
    skipped = instant.astimezone(local).replace(tzinfo=None) != wall.replace(tzinfo=None)
    if field is not None and skipped:
        raise Invalid(
            "That time does not exist on that day.",
            fields={field: "The clocks change then: choose another time."},
        )
    return instant


def local_day(instant: datetime, local: ZoneInfo) -> date:
    """The business's date at a UTC instant."""
    return instant.astimezone(local).date()
