"""Allocating a payment or credit to charges, oldest first: the one rule payments, Apply
Credit and the demo and benchmark generators all follow."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import func, select
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


def open_charges(db: Session, family_id: int) -> list[tuple[tables.LedgerEntry, int]]:
    """The family's charges that still owe something, oldest first, with what each owes."""
    paid = ledger_totals.allocated_by(tables.PaymentAllocation.charge_entry_id, [family_id])
    entry = tables.LedgerEntry
    owed = entry.amount_cents - func.coalesce(paid.c.amount, 0)
    rows = db.execute(
        select(entry, owed)
        .outerjoin(paid, paid.c.id == entry.id)
        .where(entry.family_id == family_id, entry.kind == EntryKind.CHARGE.value, owed > 0)
        .order_by(entry.entry_date, entry.id)
    ).all()
    return [(charge, int(due)) for charge, due in rows]


def unapplied_sources(db: Session, family_id: int) -> list[tuple[tables.LedgerEntry, int]]:
    """The family's payments and credits with money not yet applied to a charge (nor
    refunded), oldest first, with how much is left of each: the family's credit."""
    entry = tables.LedgerEntry
    used = ledger_totals.allocated_by(tables.PaymentAllocation.source_entry_id, [family_id])
    refunded = ledger_totals.refunded_of([family_id])
    left = (
        entry.amount_cents - func.coalesce(used.c.amount, 0) - func.coalesce(refunded.c.amount, 0)
    )
    rows = db.execute(
        select(entry, left)
        .outerjoin(used, used.c.id == entry.id)
        .outerjoin(refunded, refunded.c.id == entry.id)
        .where(
            entry.family_id == family_id,
            entry.kind.in_(ledger_totals.SOURCES),
            left > 0,
        )
        .order_by(entry.entry_date, entry.id)
    ).all()
    return [(source, int(rest)) for source, rest in rows]


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
