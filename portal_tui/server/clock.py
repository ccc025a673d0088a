"""The server's one clock. `PORTAL_TODAY` (ISO date) pins "today" for demos and tests."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, tzinfo


def today(zone: tzinfo = UTC) -> date:
    """Today's date in `zone` (UTC unless given), or `PORTAL_TODAY` when set."""
    pinned = os.environ.get("PORTAL_TODAY")
    return date.fromisoformat(pinned) if pinned else datetime.now(zone).date()


def now() -> datetime:
    """The current UTC instant; with `PORTAL_TODAY` set, the wall-clock time on that day."""
    real = datetime.now(UTC)
    if not os.environ.get("PORTAL_TODAY"):
        return real
    return datetime.combine(today(), time(real.hour, real.minute, real.second), UTC)
