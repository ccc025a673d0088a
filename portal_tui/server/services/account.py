"""The family's account summary: balance, outstanding, credit and last payment."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.wire.account import AccountSummary, GuardianBrief, LastPayment
from portal_tui.wire.ledger import EntryKind

SIGNED_AMOUNT = case(
    (
        tables.LedgerEntry.kind.in_([kind.value for kind in EntryKind if kind.sign > 0]),
        tables.LedgerEntry.amount_cents,
    ),
    else_=-tables.LedgerEntry.amount_cents,
)
"""An entry's effect on the balance, in SQL, by `EntryKind.sign`."""


def balance_cents(*, db: Session, family_id: int, location_id: int | None = None) -> int:
    query = select(func.coalesce(func.sum(SIGNED_AMOUNT), 0)).where(
        tables.LedgerEntry.family_id == family_id
    )
    if location_id is not None:
        query = query.where(tables.LedgerEntry.location_id == location_id)
    return int(db.scalar(query) or 0)


def outstanding_cents(*, db: Session, family_id: int) -> int:
    """What charges still owe after the payments and credits allocated to them."""
    charges = db.scalar(
        select(func.coalesce(func.sum(tables.LedgerEntry.amount_cents), 0)).where(
            tables.LedgerEntry.family_id == family_id, tables.LedgerEntry.kind == "charge"
        )
    )
    allocated = db.scalar(
        select(func.coalesce(func.sum(tables.PaymentAllocation.amount_cents), 0))
        .join(tables.LedgerEntry, tables.LedgerEntry.id == tables.PaymentAllocation.charge_entry_id)
        .where(tables.LedgerEntry.family_id == family_id)
    )
    return int(charges or 0) - int(allocated or 0)


def _last_payment(db: Session, family_id: int) -> LastPayment | None:
    """The newest payment, whole: a payment that paid several locations is one entry at each,
    all under its Idempotency-Key."""
    entry = tables.LedgerEntry
    last = db.execute(
        select(entry.amount_cents, entry.entry_date, entry.idempotency_key)
        .where(entry.family_id == family_id, entry.kind == EntryKind.PAYMENT.value)
        .order_by(entry.entry_date.desc(), entry.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    amount, paid_on, key = last
    if key is not None:
        total = select(func.sum(entry.amount_cents)).where(
            entry.family_id == family_id, entry.idempotency_key == key
        )
        amount = int(db.scalar(total) or amount)
    return LastPayment(amount_cents=amount, paid_on=paid_on)


def summary(*, db: Session, family_id: int, show_credit: bool) -> AccountSummary:
    family = db.get_one(tables.Family, family_id)
    guardians = db.scalars(
        select(tables.Guardian)
        .where(tables.Guardian.family_id == family_id)
        .order_by(tables.Guardian.is_primary.desc(), tables.Guardian.id)
    )
    balance = balance_cents(db=db, family_id=family_id)
    outstanding = outstanding_cents(db=db, family_id=family_id)
    last = _last_payment(db, family_id)
    return AccountSummary(
        family_id=family.id,
        family_name=family.name,
        guardians=[
            GuardianBrief(id=g.id, name=f"{g.first_name} {g.last_name}", is_primary=g.is_primary)
            for g in guardians
        ],
        balance_cents=balance,
        outstanding_cents=outstanding,
        credit_cents=max(0, outstanding - balance) if show_credit else None,
        last_payment=last,
    )
