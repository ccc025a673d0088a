"""A demo family's ledger: monthly tuition, autopay on the 5th, allocated by the server's one
rule (oldest charge first)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal_tui.server.seed.common import month_starts, months_back, stamp, tuition_description
from portal_tui.server.services.allocation import oldest_first
from portal_tui.server.services.ledger_places import Appender
from portal_tui.server.tables import (
    Enrollment,
    LedgerEntry,
    PaymentAllocation,
    PaymentMethod,
    SchoolClass,
)
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

KIND_ORDER = {EntryKind.CHARGE: 0, EntryKind.PAYMENT: 1, EntryKind.CREDIT: 2, EntryKind.REFUND: 3}
"""Same-day entries are written in this order, so a payment follows the charges it pays."""


@dataclass(frozen=True)
class Quirks:
    """Departures from paying every bill in full, at one location: they make outstanding
    and credit non-zero."""

    location_id: int
    short_cents: int = 0
    """Last month's payment leaves this much unpaid."""
    overpay_cents: int = 0
    """Six months ago a payment paid this much too much..."""
    refund_cents: int = 0
    """...and a week later this much of it was refunded."""
    credit_cents: int = 0
    """A sibling discount credit three weeks ago, not yet applied."""


def entry(
    *,
    family_id: int,
    kind: EntryKind,
    day: date,
    location_id: int,
    amount: int,
    description: str,
    student_id: int | None = None,
    payment_method_id: int | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        family_id=family_id,
        kind=kind,
        entry_date=day,
        location_id=location_id,
        student_id=student_id,
        amount_cents=amount,
        description=description,
        payment_method_id=payment_method_id,
        created_at=stamp(day),
    )


def tuition_charges(
    *, family_id: int, enrollments: Iterable[tuple[Enrollment, SchoolClass]], today: date
) -> list[LedgerEntry]:
    """One charge per month each regular enrollment ran (its first month on its start date)."""
    charges: list[LedgerEntry] = []
    for enrollment, klass in enrollments:
        if enrollment.kind != EnrollmentKind.REGULAR or enrollment.status not in (
            EnrollmentStatus.CURRENT,
            EnrollmentStatus.PAST,
        ):
            continue
        last = min(enrollment.end_date or today, today)
        for month in month_starts(enrollment.start_date, last):
            charges.append(
                entry(
                    family_id=family_id,
                    kind=EntryKind.CHARGE,
                    day=max(month, enrollment.start_date),
                    location_id=klass.location_id,
                    student_id=enrollment.student_id,
                    amount=klass.tuition_cents,
                    description=tuition_description(klass.name, month),
                )
            )
    return charges


def write_ledger(
    db: Session,
    *,
    family_id: int,
    charges: list[LedgerEntry],
    payers: Sequence[PaymentMethod],
    today: date,
    quirks: Quirks | None = None,
) -> None:
    """Add the charges, a payment per location on the 5th of every month before this one
    paying what is due (by the first payer, every fourth month the second), the quirks'
    entries, and each payment's allocations."""
    charges = sorted(charges, key=lambda c: c.entry_date)
    remaining = {id(c): c.amount_cents for c in charges}
    entries: list[LedgerEntry] = list(charges)
    allocations: list[tuple[LedgerEntry, LedgerEntry, int]] = []
    overpaid: LedgerEntry | None = None
    locations = sorted({c.location_id for c in charges})
    for month in month_starts(charges[0].entry_date, months_back(today, 1)):
        pay_day = month.replace(day=5)
        payer = payers[1] if len(payers) > 1 and month.month % 4 == 0 else payers[0]
        for location_id in locations:
            due = [
                c
                for c in charges
                if c.location_id == location_id and c.entry_date <= pay_day and remaining[id(c)]
            ]
            amount = sum(remaining[id(c)] for c in due)
            if quirks and quirks.location_id == location_id:
                if month == months_back(today, 1):
                    amount -= quirks.short_cents
                if month == months_back(today, 6):
                    amount += quirks.overpay_cents
            if amount <= 0:
                continue
            payment = entry(
                family_id=family_id,
                kind=EntryKind.PAYMENT,
                day=pay_day,
                location_id=location_id,
                amount=amount,
                description=f"Payment – {payer.brand} ••{payer.last4}",
                payment_method_id=payer.id,
            )
            entries.append(payment)
            if quirks and quirks.location_id == location_id and month == months_back(today, 6):
                overpaid = payment
            for charge, part in oldest_first(amount, [(c, remaining[id(c)]) for c in due]):
                allocations.append((payment, charge, part))
                remaining[id(charge)] -= part

    refund = _quirk_entries(family_id, quirks, overpaid, today, entries)
    entries.sort(key=lambda e: (e.entry_date, KIND_ORDER[e.kind]))
    places = Appender()
    for written in entries:  # ids follow this order: the ledger is written oldest first
        for column, value in places.next(
            family_id=family_id,
            kind=written.kind,
            location_id=written.location_id,
            entry_date=written.entry_date,
            amount_cents=written.amount_cents,
        ).items():
            setattr(written, column, value)
    db.add_all(entries)
    db.flush()
    if refund is not None and overpaid is not None:
        refund.refund_of_id = overpaid.id
    db.add_all(
        PaymentAllocation(source_entry_id=source.id, charge_entry_id=charge.id, amount_cents=amount)
        for source, charge, amount in allocations
    )


def _quirk_entries(
    family_id: int,
    quirks: Quirks | None,
    overpaid: LedgerEntry | None,
    today: date,
    entries: list[LedgerEntry],
) -> LedgerEntry | None:
    """Append the refund and the credit the quirks call for; return the refund."""
    if quirks is None:
        return None
    if quirks.credit_cents:
        entries.append(
            entry(
                family_id=family_id,
                kind=EntryKind.CREDIT,
                day=today - timedelta(days=21),
                location_id=quirks.location_id,
                amount=quirks.credit_cents,
                description="Sibling discount credit",
            )
        )
    if overpaid is None or not quirks.refund_cents:
        return None
    refund = entry(
        family_id=family_id,
        kind=EntryKind.REFUND,
        day=overpaid.entry_date + timedelta(days=7),
        location_id=quirks.location_id,
        amount=quirks.refund_cents,
        description=f"Refund – overpayment ({overpaid.description.removeprefix('Payment – ')})",
        payment_method_id=overpaid.payment_method_id,
    )
    entries.append(refund)
    return refund
