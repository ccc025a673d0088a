"""How a future absence reads: its span in the business's time zone, its class, the token it
earned, and the date and time a form takes (the checks the form runs as the user types)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from portal_tui.screens.class_times import day_label
from portal_tui.widgets.safe import plain
from portal_tui.wire.absences import AbsenceOut, EarnedToken, UpcomingSession
from portal_tui.wire.students import MakeupTokenStatus


def typed_time(value: str) -> time:
    """A time of day typed as HH:MM (24-hour)."""
    text = value.strip()
    try:
        if len(text) != 5 or text[2] != ":":
            raise ValueError
        return time(int(text[:2]), int(text[3:]))
    except ValueError:
        raise ValueError("Use the form HH:MM (24-hour), e.g. 16:30.") from None


def span(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """E.g. "Thu 2026-03-12 16:00–19:00", or "Thu 2026-03-26 00:00 → Sun 2026-03-29 23:59"."""
    start, end = starts.astimezone(zone), ends.astimezone(zone)
    if start.date() == end.date():
        return f"{day_label(start.date())} {start:%H:%M}–{end:%H:%M}"
    return f"{day_label(start.date())} {start:%H:%M} → {day_label(end.date())} {end:%H:%M}"


def session_label(session: UpcomingSession, zone: ZoneInfo) -> str:
    return span(session.starts_at, session.ends_at, zone)


def token_label(token: EarnedToken | None) -> str:
    """Whether the absence earned a makeup token, in words."""
    if token is None:
        return "None"
    if token.status is MakeupTokenStatus.AVAILABLE:
        return plain(f"Earned: {token.location_name}, until {token.expires_on.isoformat()}")
    return plain(f"Earned ({token.status.value}): {token.location_name}")


def describe(absence: AbsenceOut, zone: ZoneInfo) -> str:
    """The absence in one line, as the confirmation names it."""
    when = span(absence.starts_at, absence.ends_at, zone)
    if absence.class_name:
        return plain(f"from {absence.class_name} on {when}")
    note = f" ({absence.note})" if absence.note else ""
    return plain(f"{when}{note}")


def token_issued(token: EarnedToken) -> str:
    """What the user is told when an absence earned a token."""
    return plain(
        f"A makeup token was issued for {token.location_name}, "
        f"good until {token.expires_on.isoformat()}."
    )
