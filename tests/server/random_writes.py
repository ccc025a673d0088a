"""Random writes to the demo family's ledger for property tests: payments through the
service, charges, refunds and credits on chosen days (backdated, or after today), refunds of
a payment or credit, and Apply Credit; each written the way the app writes it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.services import credit, payments
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.ledger_places import add_entry
from portal_tui.server.services.locks import lock_row
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentRequest

Entry = tables.LedgerEntry
KINDS = st.sampled_from([EntryKind.CHARGE, EntryKind.REFUND, EntryKind.CREDIT])
BACKDATED = st.integers(0, 800)
"""Days before today an entry is dated."""


def operations(
    *, days: st.SearchStrategy[int] = BACKDATED, refunds: bool = False, max_size: int = 6
) -> st.SearchStrategy[list[Any]]:
    """Lists of writes: ("pay", everywhere, percent of what is owed), ("entry", kind, days
    before today, at the first location, cents), ("refund", nth newest payment or credit,
    cents) when `refunds`, and ("apply_credit",)."""
    choices = [
        st.tuples(st.just("pay"), st.booleans(), st.integers(1, 100)),
        st.tuples(st.just("entry"), KINDS, days, st.booleans(), st.integers(1, 9999)),
        st.tuples(st.just("apply_credit")),
    ]
    if refunds:
        choices.append(st.tuples(st.just("refund"), st.integers(0, 50), st.integers(1, 6000)))
    return st.lists(st.one_of(choices), min_size=1, max_size=max_size)


def write(
    db: Session,
    family_id: int,
    kind: EntryKind,
    day: date,
    location_id: int,
    amount: int,
    refund_of_id: int | None = None,
) -> tables.LedgerEntry:
    """One entry, through `add_entry` under the family's lock, as the app writes one."""
    entry = Entry(
        family_id=family_id,
        kind=kind,
        entry_date=day,
        location_id=location_id,
        amount_cents=amount,
        description=f"Test {kind.value}",
        refund_of_id=refund_of_id,
    )
    lock_row(db, tables.Family, family_id)
    add_entry(db, entry)
    return entry


def two_locations(db: Session) -> list[int]:
    return sorted(db.scalars(select(tables.Location.id)))[:2]


def run(db: Session, family: FamilyAccess, writes: list[Any]) -> None:
    """Carry out `writes` (from `operations`) on the family, at its first two locations; a
    payment pays what the open charges cover, in full."""
    locations = two_locations(db)
    method = db.scalars(
        select(tables.PaymentMethod.id).where(
            tables.PaymentMethod.guardian_id == family.viewer_id,
            tables.PaymentMethod.removed.is_(False),
        )
    ).first()
    assert method is not None
    today = clock.today()
    for operation in writes:
        if operation[0] == "pay":
            _pay, everywhere, percent = operation
            where = None if everywhere else locations[0]
            owed = payments.options(family, where).owed_cents
            if owed > 0:
                body = PaymentRequest(amount_cents=max(1, owed * percent // 100), method_id=method)
                paid = payments.make_payment(family, uuid.uuid4().hex, body, where)
                assert paid.amount_cents == body.amount_cents
        elif operation[0] == "entry":
            _entry, kind, days_back, first, amount = operation
            place = locations[0] if first else locations[-1]
            write(db, family.id, kind, today - timedelta(days=days_back), place, amount)
        elif operation[0] == "refund":
            _refund, newest, amount = operation
            sources = db.scalars(
                select(Entry)
                .where(
                    Entry.family_id == family.id,
                    Entry.kind.in_([EntryKind.PAYMENT, EntryKind.CREDIT]),
                )
                .order_by(Entry.entry_date.desc(), Entry.id.desc())
            ).all()
            source = sources[min(newest, len(sources) - 1)]
            write(db, family.id, EntryKind.REFUND, today, source.location_id, amount, source.id)
        else:
            credit.plan(db, family.id, write=True)
