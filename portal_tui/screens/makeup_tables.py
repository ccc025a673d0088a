"""How makeup tokens, makeups and bookable sessions read on screen: one table per group."""

from __future__ import annotations

from rich import box
from rich.table import Table

from portal_tui.screens.class_times import day_label, seats_open
from portal_tui.widgets.safe import safe_text
from portal_tui.wire.makeups import ClassSessionOut, MakeupOut, MakeupTokenOut, OpenSessionOut


def when(session: ClassSessionOut) -> str:
    """E.g. "Sat 2026-03-07 10:00–10:45"."""
    start, end = session.start_time.strftime("%H:%M"), session.end_time.strftime("%H:%M")
    return f"{day_label(session.day)} {start}–{end}"


def class_and_time(session: ClassSessionOut) -> str:
    """E.g. "Swim Level 2, Sat 2026-03-07 10:00–10:45"."""
    return f"{session.class_name}, {when(session)}"


def session_choice(session: OpenSessionOut) -> str:
    """One line of the session picker: when, which class, where, and the seats left."""
    seats = seats_open(session.open_seats)
    return f"{when(session)} · {session.class_name} · {session.location_name} · {seats}"


def token_choice(token: MakeupTokenOut) -> str:
    """One line of the token picker."""
    return f"{token.location_name} token, expires {token.expires_on.isoformat()}"


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def tokens_table(tokens: list[MakeupTokenOut]) -> Table:
    """Issued, expires, location, and the makeup class the token was applied to."""
    table = _table("Issued", "Expires", "Location", "Applied to")
    for token in tokens:
        applied = class_and_time(token.makeup.session) if token.makeup else "Not applied"
        cells = (token.issued_on.isoformat(), token.expires_on.isoformat(), token.location_name)
        table.add_row(*map(safe_text, (*cells, applied)))
    return table


def makeups_table(makeups: list[MakeupOut]) -> Table:
    """Class, location, date and time of each makeup."""
    table = _table("Class", "Location", "When")
    for makeup in makeups:
        session = makeup.session
        table.add_row(*map(safe_text, (session.class_name, session.location_name, when(session))))
    return table
