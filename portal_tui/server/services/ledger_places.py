"""Each ledger entry's places and the balances right after it, kept as entries are written.

An entry's place in a view is its position, 1 = oldest, among the view's entries in
(entry date, id) order. The views are the family's entries, those of one kind, of one
location, and of one location and kind. Every entry is written by `add_entry`, or by a seed
that writes a whole ledger oldest first with `Appender` (and then counts the totals and the
amounts with ledger_totals.recount and ledger_amounts.recount).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import and_, case, select, tuple_, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal_tui.server import tables
from portal_tui.server.services import ledger_amounts, ledger_totals
from portal_tui.wire.ledger import EntryKind

Entry = tables.LedgerEntry
ORDER = (Entry.entry_date, Entry.id)

PLACES: dict[InstrumentedAttribute[int], tuple[InstrumentedAttribute[Any], ...]] = {
    Entry.place_all: (Entry.family_id,),
    Entry.place_kind: (Entry.family_id, Entry.kind),
    Entry.place_loc: (Entry.family_id, Entry.location_id),
    Entry.place_loc_kind: (Entry.family_id, Entry.location_id, Entry.kind),
}
"""Each place column and the columns an entry shares with the others of its view."""
BALANCES: dict[InstrumentedAttribute[int], InstrumentedAttribute[int]] = {
    Entry.balance_after: Entry.place_all,
    Entry.location_balance_after: Entry.place_loc,
}
"""Each balance column and the place column of the view it sums."""


def _scope(entry: tables.LedgerEntry, columns: tuple[InstrumentedAttribute[Any], ...]) -> list[Any]:
    return [column == getattr(entry, column.key) for column in columns]


def _place(
    db: Session, entry: tables.LedgerEntry, place: InstrumentedAttribute[int], scope: list[Any]
) -> int:
    """`entry`'s place in the view `scope`: after the view's last entry when it is newer than
    that one (an entry dated today: one probe of the place index); otherwise after the last
    entry before it, found along the (date, id) index."""
    others = [*scope, Entry.id != entry.id]
    key = (entry.entry_date, entry.id)
    last = db.execute(select(place, *ORDER).where(*others).order_by(place.desc()).limit(1)).first()
    if last is None or (last.entry_date, last.id) < key:
        return 1 if last is None else last[0] + 1
    prior = db.scalar(
        select(place)
        .where(*others, tuple_(*ORDER) < tuple_(*key))
        .order_by(Entry.entry_date.desc(), Entry.id.desc())
        .limit(1)
    )
    return (prior or 0) + 1


def _move_later(db: Session, entry: tables.LedgerEntry, signed: int) -> None:
    """The entries after a backdated `entry` move down one place in each view they share
    with it and carry its amount in their balances, in one pass over them."""
    same_kind = Entry.kind == entry.kind
    here = Entry.location_id == entry.location_id
    db.execute(
        update(Entry)
        .where(
            Entry.family_id == entry.family_id,
            Entry.place_all >= entry.place_all,
            Entry.id != entry.id,
        )
        .values(
            {
                Entry.place_all: Entry.place_all + 1,
                Entry.place_kind: Entry.place_kind + case((same_kind, 1), else_=0),
                Entry.place_loc: Entry.place_loc + case((here, 1), else_=0),
                Entry.place_loc_kind: Entry.place_loc_kind
                + case((and_(here, same_kind), 1), else_=0),
                Entry.balance_after: Entry.balance_after + signed,
                Entry.location_balance_after: Entry.location_balance_after
                + case((here, signed), else_=0),
            }
        )
    )


def add_entry(db: Session, entry: tables.LedgerEntry) -> None:
    """Write `entry` with its place in every view and the balances after it, and count it in
    its location's totals and among its amount's (ledger_amounts). Entries after it (it was
    backdated) move down one place and carry its amount in their balances.

    The caller holds the family's row lock (services/locks.lock_row), as Make Payment does,
    so that writers of one family's ledger take turns."""
    for column in (*PLACES, *BALANCES):
        setattr(entry, column.key, 0)  # until its id, which orders it among same-day entries
    db.add(entry)
    db.flush()
    for place, columns in PLACES.items():
        setattr(entry, place.key, _place(db, entry, place, _scope(entry, columns)))
    signed = EntryKind(entry.kind).sign * entry.amount_cents
    for balance, place in BALANCES.items():
        scope = _scope(entry, PLACES[place])
        prior = db.scalar(select(balance).where(*scope, place == getattr(entry, place.key) - 1))
        setattr(entry, balance.key, (prior or 0) + signed)
    _move_later(db, entry, signed)
    db.flush()
    ledger_totals.entry_written(db, entry)
    ledger_amounts.entry_written(db, entry)


class Appender:
    """The places and balances of entries written oldest first, in (date, id) order, counted
    without reading the database: for seeds that write families' whole ledgers at once."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[Any, ...]] = Counter()
        self._last: dict[int, date] = {}

    def next(
        self,
        *,
        family_id: int,
        kind: EntryKind,
        location_id: int,
        entry_date: date,
        amount_cents: int,
    ) -> dict[str, int]:
        """The columns of the family's next entry, which must not be older than the last."""
        if entry_date < self._last.get(family_id, entry_date):
            raise ValueError("A seed wrote a ledger entry older than the one before it.")
        self._last[family_id] = entry_date
        row = {"family_id": family_id, "kind": kind, "location_id": location_id}
        values: dict[str, int] = {}
        for place, columns in PLACES.items():
            view = (place.key, *(row[column.key] for column in columns))
            self._counts[view] += 1
            values[place.key] = self._counts[view]
        for balance, place in BALANCES.items():
            view = (balance.key, *(row[column.key] for column in PLACES[place]))
            self._counts[view] += EntryKind(kind).sign * amount_cents
            values[balance.key] = self._counts[view]
        return values
