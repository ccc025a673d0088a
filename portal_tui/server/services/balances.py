"""A location's balance over time: read from the balance kept with each entry, at evenly spread
places, so the cost is the number of points asked for, not the ledger's size."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.wire.balances import BalanceHistory, BalancePoint

Entry = tables.LedgerEntry


def sample_places(entries: int, points: int) -> list[int]:
    """`points` places from 1 to `entries`, evenly spread, the oldest and the newest always
    included (every place when there are no more entries than points)."""
    if entries <= points:
        return list(range(1, entries + 1))
    return sorted({1 + round((entries - 1) * i / (points - 1)) for i in range(points)})


def balance_history(
    *, db: Session, family_id: int, location_id: int, points: int
) -> BalanceHistory:
    scope = (Entry.family_id == family_id, Entry.location_id == location_id)
    entries = db.scalar(select(func.coalesce(func.max(Entry.place_loc), 0)).where(*scope)) or 0
    places = sample_places(entries, points)
    rows = db.execute(
        select(Entry.entry_date, Entry.location_balance_after)
        .where(*scope, Entry.place_loc.in_(places))
        .order_by(Entry.place_loc)
    ).all()
    samples: dict[object, int] = {}
    for on, balance in rows:
        samples[on] = balance  # the last sample of a day is that day's closing balance
    return BalanceHistory(
        location_id=location_id,
        entries=entries,
        points=[BalancePoint(on=on, balance_cents=cents) for on, cents in samples.items()],
    )
