"""The family's money reports: the statement of open charges at a location, the ledger of a
period at a location, and the payment statement of a period.

Each reads only its own rows: the statement the open charges the kept totals lead to, the
ledger the entries dated in its period (their running balances are kept with them, and the
opening one is the entry just before), the payment statement the payments dated in its
period. A report longer than MAX_LINES is
refused with 422 rather than cut.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal_tui.server import tables
from portal_tui.server.errors import Invalid
from portal_tui.server.services import allocation
from portal_tui.server.services import business as business_service
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.ledger import scope as ledger_scope
from portal_tui.server.services.localtime import business_today
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.statements import (
    LEDGER_DAYS,
    LedgerReport,
    LedgerReportLine,
    PaymentStatement,
    PaymentStatementLine,
    ReportHeading,
    Statement,
    StatementLine,
)

NO_STATEMENTS = "Statements are not offered by this business."
NO_LEDGERS = "Ledger reports are not offered by this business."
LAST_DAYS_ONLY = (
    f"This business shows only the last {LEDGER_DAYS} days of the ledger: ask without dates."
)
MAX_LINES = 10_000
"""The most rows one report holds; a longer one is refused (choose a shorter period)."""

Entry = tables.LedgerEntry


def _heading(family: FamilyAccess, location_id: int | None) -> ReportHeading:
    business = business_service.get_business(db=family.db)
    location = family.db.get(tables.Location, location_id) if location_id else None
    return ReportHeading(
        business_name=business.name,
        family_name=family.family.name,
        currency=business.currency,
        currency_symbol=business.currency_symbol,
        location_id=location_id,
        location_name=location.name if location else None,
        as_of=business_today(family.zone),
    )


def _name(first: str | None, last: str | None) -> str | None:
    return f"{first} {last}" if first else None


def _bounded(rows: list[Any], what: str, *, period: bool = True) -> list[Any]:
    """`rows`, unless there are more than MAX_LINES: then 422 (a shorter period helps)."""
    if len(rows) <= MAX_LINES:
        return rows
    if not period:
        raise Invalid(f"{what} holds more than {MAX_LINES:,} rows: ask the business for it.")
    raise Invalid(
        f"{what} holds more than {MAX_LINES:,} rows: choose a shorter period.",
        fields={"start": "choose a later start"},
    )


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """A chosen period; 422 unless both dates are given and start ≤ end."""
    missing = {name: "required" for name, day in (("start", start), ("end", end)) if day is None}
    if missing:
        raise Invalid("Give the period's start and end dates.", fields=missing)
    assert start is not None and end is not None
    if start > end:
        raise Invalid(
            "The start date must be on or before the end date.",
            fields={"end": "must be on or after the start date"},
        )
    return start, end


def statement(family: FamilyAccess, location_id: int | None) -> Statement:
    """The charges at `location_id` (None: every location) dated up to today that still owe
    something, oldest first, with what each owes: the open charges the kept totals lead to
    (`allocation.open_charges`), so the cost follows how far back the oldest open one is."""
    heading = _heading(family, location_id)
    db = family.db
    charges = _bounded(
        [
            (charge, due)
            for charge, due in allocation.open_charges(db, family.id)
            if location_id in (None, charge.location_id) and charge.entry_date <= heading.as_of
        ],
        "The statement",
        period=False,
    )
    student_ids = {charge.student_id for charge, _due in charges if charge.student_id}
    students = {
        student.id: student
        for student in db.scalars(select(tables.Student).where(tables.Student.id.in_(student_ids)))
    }
    places = {
        place: name for place, name in db.execute(select(tables.Location.id, tables.Location.name))
    }
    lines = [
        StatementLine(
            entry_id=charge.id,
            entry_date=charge.entry_date,
            description=charge.description,
            student_name=_student(students.get(charge.student_id or 0)),
            location_name=places[charge.location_id],
            amount_cents=charge.amount_cents,
            owed_cents=due,
        )
        for charge, due in charges
    ]
    return Statement(
        heading=heading,
        lines=lines,
        total_amount_cents=sum(line.amount_cents for line in lines),
        total_owed_cents=sum(line.owed_cents for line in lines),
    )


def _student(student: tables.Student | None) -> str | None:
    return student.full_name if student else None


def ledger_period(family: FamilyAccess, start: date | None, end: date | None) -> tuple[date, date]:
    """The ledger's period. Without full ledger history it is the last 30 days, today
    included, and a request naming dates is refused (422) rather than quietly answered with
    other dates than it asked for; with it, the dates asked (start ≤ end), or the last 30
    days when none are given."""
    today = business_today(family.zone)
    last_days = today - timedelta(days=LEDGER_DAYS - 1), today
    if not family.capabilities.full_ledger_history:
        if start is not None or end is not None:
            asked = (("start", start), ("end", end))
            named = {name: "not allowed" for name, day in asked if day is not None}
            raise Invalid(LAST_DAYS_ONLY, fields=named)
        return last_days
    if start is None and end is None:
        return last_days
    return period(start, end)


def _opening(family: FamilyAccess, location_id: int | None, start: date) -> int:
    """The balance just before `start`: the one kept with the last entry before it."""
    balance = Entry.balance_after if location_id is None else Entry.location_balance_after
    found = family.db.scalar(
        select(balance)
        .where(*ledger_scope(family.id, location_id), Entry.entry_date < start)
        .order_by(Entry.entry_date.desc(), Entry.id.desc())
        .limit(1)
    )
    return int(found or 0)


def ledger_report(
    family: FamilyAccess, location_id: int | None, start: date | None, end: date | None
) -> LedgerReport:
    """Every entry at `location_id` (None: every location) dated in the ledger's period,
    oldest first, with the running balance of that location (or of the family)."""
    first, last = ledger_period(family, start, end)
    balance = Entry.balance_after if location_id is None else Entry.location_balance_after
    rows = family.db.execute(
        select(
            Entry.id,
            Entry.entry_date,
            Entry.kind,
            Entry.description,
            tables.Student.first_name,
            tables.Student.last_name,
            tables.Location.name,
            Entry.amount_cents,
            balance,
        )
        .join(tables.Location, tables.Location.id == Entry.location_id)
        .outerjoin(tables.Student, tables.Student.id == Entry.student_id)
        .where(*ledger_scope(family.id, location_id), Entry.entry_date.between(first, last))
        .order_by(Entry.entry_date, Entry.id)
        .limit(MAX_LINES + 1)
    ).all()
    lines = [
        LedgerReportLine(
            entry_id=entry_id,
            entry_date=day,
            kind=EntryKind(kind),
            description=description,
            student_name=_name(first_name, last_name),
            location_name=place,
            amount_cents=amount,
            balance_cents=int(after),
        )
        for entry_id, day, kind, description, first_name, last_name, place, amount, after in (
            _bounded(
                list(rows),
                "The ledger of that period",
                period=family.capabilities.full_ledger_history,
            )
        )
    ]
    totals = {kind: 0 for kind in EntryKind}
    for line in lines:
        totals[line.kind] += line.amount_cents
    opening = _opening(family, location_id, first)
    return LedgerReport(
        heading=_heading(family, location_id),
        start=first,
        end=last,
        full_history=family.capabilities.full_ledger_history,
        opening_balance_cents=opening,
        lines=lines,
        charges_cents=totals[EntryKind.CHARGE],
        payments_cents=totals[EntryKind.PAYMENT],
        refunds_cents=totals[EntryKind.REFUND],
        credits_cents=totals[EntryKind.CREDIT],
        closing_balance_cents=opening + sum(t * kind.sign for kind, t in totals.items()),
    )


def _students_paid(family: FamilyAccess, payments: Any) -> dict[int, list[str]]:
    """The students whose charges each payment of `payments` (a select of ids) paid."""
    allocation, charge = tables.PaymentAllocation, aliased(Entry)
    rows = family.db.execute(
        select(allocation.source_entry_id, tables.Student.first_name, tables.Student.last_name)
        .join(charge, charge.id == allocation.charge_entry_id)
        .join(tables.Student, tables.Student.id == charge.student_id)
        .where(allocation.source_entry_id.in_(payments))
        .distinct()
    )
    named: dict[int, list[str]] = {}
    for source_id, first, last in rows:
        named.setdefault(source_id, []).append(f"{first} {last}")
    return {source_id: sorted(names) for source_id, names in named.items()}


def payment_statement(
    family: FamilyAccess, start: date | None, end: date | None
) -> PaymentStatement:
    """Every payment of the family dated in [start, end] at any location, oldest first: its
    method by kind, brand and last four, the students it paid for, and where."""
    first, last = period(start, end)
    method = tables.PaymentMethod
    in_period = (
        Entry.family_id == family.id,
        Entry.kind == EntryKind.PAYMENT.value,
        Entry.entry_date.between(first, last),
    )
    rows = family.db.execute(
        select(
            Entry.id,
            Entry.entry_date,
            method.kind,
            method.brand,
            method.last4,
            tables.Location.name,
            Entry.amount_cents,
        )
        .join(tables.Location, tables.Location.id == Entry.location_id)
        .outerjoin(method, method.id == Entry.payment_method_id)
        .where(*in_period)
        .order_by(Entry.entry_date, Entry.id)
        .limit(MAX_LINES + 1)
    ).all()
    rows = _bounded(list(rows), "The payment statement")
    students = _students_paid(family, select(Entry.id).where(*in_period))
    lines = [
        PaymentStatementLine(
            entry_id=entry_id,
            paid_on=day,
            method_kind=PaymentMethodKind(kind) if kind else None,
            method_brand=brand,
            method_last4=last4,
            student_names=students.get(entry_id, []),
            location_name=place,
            amount_cents=amount,
        )
        for entry_id, day, kind, brand, last4, place, amount in rows
    ]
    return PaymentStatement(
        heading=_heading(family, None),
        start=first,
        end=last,
        lines=lines,
        total_cents=sum(line.amount_cents for line in lines),
    )
