"""The family's account summary: balance, outstanding, credit and last payment, read from
the totals kept as entries are written (services/ledger_totals) and one probe for the
newest payment."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.services import ledger_totals
from portal_tui.wire.account import AccountSummary, GuardianBrief, LastPayment
from portal_tui.wire.ledger import EntryKind


def _last_payment(db: Session, family_id: int) -> LastPayment | None:
    """The newest payment, whole: a payment that paid several locations is one entry at each,
    all under its Idempotency-Key. Its place among the family's payments finds it with one
    probe of that index, however many charges came after it."""
    entry = tables.LedgerEntry
    last = db.execute(
        select(entry.amount_cents, entry.entry_date, entry.idempotency_key)
        .where(entry.family_id == family_id, entry.kind == EntryKind.PAYMENT.value)
        .order_by(entry.place_kind.desc())
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
    totals = ledger_totals.whole(db, family_id)
    balance, outstanding = totals.balance_cents, totals.open_cents
    last = _last_payment(db, family_id)
    return AccountSummary(
        family_id=family.id,
        family_name=family.name,
        guardians=[
            GuardianBrief(id=g.id, name=g.full_name, is_primary=g.is_primary) for g in guardians
        ],
        balance_cents=balance,
        outstanding_cents=outstanding,
        credit_cents=max(0, outstanding - balance) if show_credit else None,
        last_payment=last,
    )
