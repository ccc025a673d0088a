"""Each family's totals per location, kept as entries and allocations are written, so that
the account, Make Payment's limits and Apply Credit read a few rows instead of summing the
ledger.

A location's totals: its balance (charges and refunds less payments and credits); its open
charges (what its charges still owe after the payments and credits allocated to them); its
unapplied credit (what its payments and credits have left, neither allocated nor refunded,
counting each at least 0). `add_entry` and `allocation.record` keep them, under the family's
row lock; seeds that write whole ledgers at once count them afterwards with `recount`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from portal_tui.server import tables
from portal_tui.wire.ledger import EntryKind

Entry = tables.LedgerEntry
Total = tables.LedgerTotal
SOURCES = (EntryKind.PAYMENT.value, EntryKind.CREDIT.value)
"""The kinds whose money pays charges: a payment or credit."""
Families = Collection[int] | Select[Any]
"""Some families' ids: listed, or selected."""
SIGNED_AMOUNT = case(
    (Entry.kind.in_([kind.value for kind in EntryKind if kind.sign > 0]), Entry.amount_cents),
    else_=-Entry.amount_cents,
)
"""An entry's effect on the balance, in SQL, by `EntryKind.sign`."""
Allocation = tables.PaymentAllocation


def _sum(column: Any, *where: Any) -> Any:
    """The sum of `column` over the rows `where` picks, or 0: one probe of an index."""
    return func.coalesce(select(func.sum(column)).where(*where).scalar_subquery(), 0)


OWES = Entry.amount_cents - _sum(Allocation.amount_cents, Allocation.charge_entry_id == Entry.id)
"""What a charge still owes after what was allocated to it."""
_refund = aliased(Entry)
LEFT = (
    Entry.amount_cents
    - _sum(Allocation.amount_cents, Allocation.source_entry_id == Entry.id)
    - _sum(_refund.amount_cents, _refund.refund_of_id == Entry.id)
)
"""What a payment or credit has left after its allocations and refunds."""


@dataclass(frozen=True)
class Totals:
    """Totals of one location, or summed over several."""

    balance_cents: int = 0
    open_cents: int = 0
    unapplied_cents: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.balance_cents + other.balance_cents,
            self.open_cents + other.open_cents,
            self.unapplied_cents + other.unapplied_cents,
        )

    @property
    def owed_cents(self) -> int:
        """What a payment at this location may pay: its open charges less its own credit."""
        return max(0, self.open_cents - self.unapplied_cents)


def by_location(db: Session, family_id: int) -> dict[int, Totals]:
    """The family's totals at each location it has entries at: one row each."""
    rows = db.execute(
        select(Total.location_id, Total.balance_cents, Total.open_cents, Total.unapplied_cents)
        .where(Total.family_id == family_id)
        .order_by(Total.location_id)
    )
    return {location: Totals(int(b), int(o), int(u)) for location, b, o, u in rows}


def whole(db: Session, family_id: int) -> Totals:
    """The family's totals over every location."""
    return sum(by_location(db, family_id).values(), Totals())


def _add(db: Session, family_id: int, location_id: int, change: Totals) -> None:
    """Add `change` to the family's totals at the location (its first entry there makes the
    row). The caller holds the family's row lock, so no other writer adds the same row."""
    where = (Total.family_id == family_id, Total.location_id == location_id)
    added = db.execute(
        update(Total)
        .where(*where)
        .values(
            balance_cents=Total.balance_cents + change.balance_cents,
            open_cents=Total.open_cents + change.open_cents,
            unapplied_cents=Total.unapplied_cents + change.unapplied_cents,
        )
        .execution_options(synchronize_session=False)
    )
    if added.rowcount == 0:  # type: ignore[attr-defined]
        db.execute(
            insert(Total).values(
                family_id=family_id,
                location_id=location_id,
                balance_cents=change.balance_cents,
                open_cents=change.open_cents,
                unapplied_cents=change.unapplied_cents,
            )
        )


def _left(db: Session, source_id: int) -> int:
    """What a payment or credit has left: its amount less its allocations and refunds."""
    return int(db.scalar(select(LEFT).where(Entry.id == source_id)) or 0)


def entry_written(db: Session, entry: tables.LedgerEntry) -> None:
    """Count a new entry (flushed) in its location's totals; a refund of a payment or credit
    takes what it refunds from that one's unapplied credit."""
    kind = EntryKind(entry.kind)
    amount = entry.amount_cents
    _add(
        db,
        entry.family_id,
        entry.location_id,
        Totals(
            balance_cents=kind.sign * amount,
            open_cents=amount if kind is EntryKind.CHARGE else 0,
            unapplied_cents=amount if kind.value in SOURCES else 0,
        ),
    )
    if entry.refund_of_id is not None:
        source = db.get_one(Entry, entry.refund_of_id)
        if source.kind.value in SOURCES:
            left = _left(db, source.id)  # with this refund
            change = max(0, left) - max(0, left + amount)
            _add(db, source.family_id, source.location_id, Totals(unapplied_cents=change))


def allocated(
    db: Session, source: tables.LedgerEntry, charge: tables.LedgerEntry, part: int
) -> None:
    """Count `part` of `source` paying `charge`: no more than either has left, as the one
    allocation rule (allocation.oldest_first) gives."""
    _add(db, charge.family_id, charge.location_id, Totals(open_cents=-part))
    _add(db, source.family_id, source.location_id, Totals(unapplied_cents=-part))


def _positive(value: ColumnElement[int]) -> ColumnElement[int]:
    return case((value > 0, value), else_=literal(0))


def _allocated_by(column: InstrumentedAttribute[int], family_ids: Families) -> Subquery:
    """Allocated cents per ledger entry of the families on one side of an allocation (`id`,
    `amount`)."""
    amount = func.sum(tables.PaymentAllocation.amount_cents).label("amount")
    theirs = select(Entry.id).where(Entry.family_id.in_(family_ids))
    return select(column.label("id"), amount).where(column.in_(theirs)).group_by(column).subquery()


def _refunded_of(family_ids: Families) -> Subquery:
    """Refunded cents per payment or credit of the families (`id`, `amount`)."""
    refund = aliased(Entry)
    return (
        select(refund.refund_of_id.label("id"), func.sum(refund.amount_cents).label("amount"))
        .where(refund.family_id.in_(family_ids), refund.refund_of_id.is_not(None))
        .group_by(refund.refund_of_id)
        .subquery()
    )


def recount(db: Session, family_ids: Families) -> None:
    """Count the families' totals afresh from their entries and allocations, in one pass
    over them: for seeds that write whole ledgers without `add_entry`."""
    to_charge = _allocated_by(tables.PaymentAllocation.charge_entry_id, family_ids)
    from_source = _allocated_by(tables.PaymentAllocation.source_entry_id, family_ids)
    refunded = _refunded_of(family_ids)
    owes = Entry.amount_cents - func.coalesce(to_charge.c.amount, 0)
    left = (
        Entry.amount_cents
        - func.coalesce(from_source.c.amount, 0)
        - func.coalesce(refunded.c.amount, 0)
    )
    each = (
        select(
            Entry.family_id,
            Entry.location_id,
            SIGNED_AMOUNT.label("balance"),
            case((Entry.kind == EntryKind.CHARGE.value, _positive(owes)), else_=0).label("open"),
            case((Entry.kind.in_(SOURCES), _positive(left)), else_=0).label("unapplied"),
        )
        .outerjoin(to_charge, to_charge.c.id == Entry.id)
        .outerjoin(from_source, from_source.c.id == Entry.id)
        .outerjoin(refunded, refunded.c.id == Entry.id)
        .where(Entry.family_id.in_(family_ids))
        .subquery()
    )
    counted = select(
        each.c.family_id,
        each.c.location_id,
        func.sum(each.c.balance),
        func.sum(each.c.open),
        func.sum(each.c.unapplied),
    ).group_by(each.c.family_id, each.c.location_id)
    db.execute(delete(Total).where(Total.family_id.in_(family_ids)))
    columns = ["family_id", "location_id", "balance_cents", "open_cents", "unapplied_cents"]
    db.execute(insert(Total).from_select(columns, counted))
