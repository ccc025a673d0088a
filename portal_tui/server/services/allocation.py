"""Allocating a payment or credit to charges, oldest first: the one rule payments, Apply
Credit and the demo and benchmark generators all follow."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.services import ledger_totals
from portal_tui.wire.ledger import EntryKind

K = TypeVar("K")


def oldest_first(amount: int, owed: Iterable[tuple[K, int]]) -> list[tuple[K, int]]:
    """`amount` split over `owed` (each charge with what it still owes, oldest first): each
    charge is paid in full before the next gets anything; the parts sum to at most `amount`."""
    parts: list[tuple[K, int]] = []
    for charge, due in owed:
        if amount <= 0:
            break
        part = min(amount, due)
        if part > 0:
            parts.append((charge, part))
            amount -= part
    return parts


BATCH = 200
"""Entries read at a time while looking for those with money left."""
Entry = tables.LedgerEntry


def _with_money_left(
    db: Session, family_id: int, kinds: Sequence[str], left: Any, totals: dict[int, int]
) -> list[tuple[tables.LedgerEntry, int]]:
    """The family's entries of `kinds` whose `left` is above 0, oldest first, with it. Each
    location's entries are read newest first until what they have left adds up to the
    location's kept total (`totals`): the older ones have nothing left, so a ledger paid
    oldest first is read only as far back as its oldest entry with money left."""
    found: list[tuple[tables.LedgerEntry, int]] = []
    for place, total in totals.items():
        before: int | None = None
        while total > 0:
            query = select(Entry, left).where(
                Entry.family_id == family_id, Entry.location_id == place, Entry.kind.in_(kinds)
            )
            if before is not None:
                query = query.where(Entry.place_loc < before)
            rows = db.execute(query.order_by(Entry.place_loc.desc()).limit(BATCH)).all()
            for row, rest in rows:
                if rest > 0:
                    found.append((row, int(rest)))
                    total -= int(rest)
            if len(rows) < BATCH:
                break
            before = rows[-1][0].place_loc
    return sorted(found, key=lambda pair: (pair[0].entry_date, pair[0].id))


def open_charges(db: Session, family_id: int) -> list[tuple[tables.LedgerEntry, int]]:
    """The family's charges that still owe something, oldest first, with what each owes."""
    totals = ledger_totals.by_location(db, family_id)
    owed = {place: t.open_cents for place, t in totals.items()}
    return _with_money_left(db, family_id, [EntryKind.CHARGE.value], ledger_totals.OWES, owed)


def unapplied_sources(db: Session, family_id: int) -> list[tuple[tables.LedgerEntry, int]]:
    """The family's payments and credits with money not yet applied to a charge (nor
    refunded), oldest first, with how much is left of each: the family's credit."""
    totals = ledger_totals.by_location(db, family_id)
    unapplied = {place: t.unapplied_cents for place, t in totals.items()}
    return _with_money_left(db, family_id, ledger_totals.SOURCES, ledger_totals.LEFT, unapplied)


def settle(
    charges: list[tuple[tables.LedgerEntry, int]], parts: list[tuple[tables.LedgerEntry, int]]
) -> None:
    """Leave in `charges` what each still owes once `parts` are paid."""
    paid = {id(charge): part for charge, part in parts}
    charges[:] = [(c, due - paid.get(id(c), 0)) for c, due in charges if due > paid.get(id(c), 0)]


def record(
    db: Session, source: tables.LedgerEntry, parts: list[tuple[tables.LedgerEntry, int]]
) -> None:
    """Add the allocations of `source` to the charges `parts` pays, and take them from the
    charges' open totals and the source's unapplied credit."""
    for charge, part in parts:
        db.add(
            tables.PaymentAllocation(
                source_entry_id=source.id, charge_entry_id=charge.id, amount_cents=part
            )
        )
        ledger_totals.allocated(db, source, charge, part)
