"""Reports of a family's money: the statement of open charges, the ledger of a period, and
the payment statement of a period.

Each report carries everything a reader (or a saved PDF or CSV) needs on its own: whose
business and family it is, where, which dates it covers, its rows and its totals.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from portal_tui.wire.common import Cents, Id, LocalDate, RequestModel, WireModel
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind

LEDGER_DAYS = 30
"""Without full ledger history, the ledger covers this many days, today included."""


class Period(RequestModel):
    """The days a report covers, both included: the start on or before the end."""

    start: LocalDate
    end: LocalDate

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError("must be on or after the start date")
        return end


class ReportHeading(WireModel):
    """Who and where a report is of, and when it was made."""

    business_name: str
    family_name: str
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code")
    currency_symbol: str = Field(max_length=4)
    location_id: Id | None
    """The location the report covers; None: every location."""
    location_name: str | None
    """That location's name; None: every location."""
    as_of: date
    """The business's date the report was made on."""


class StatementLine(WireModel):
    """A charge that still owes something."""

    entry_id: Id
    entry_date: date
    description: str
    student_name: str | None
    location_name: str
    amount_cents: Cents
    """The whole charge."""
    owed_cents: Cents
    """What it still owes after the payments and credits applied to it."""


class Statement(WireModel):
    """Generate Statement for This Location: the charges dated up to `as_of` that still owe
    something, oldest first, with their totals."""

    heading: ReportHeading
    lines: list[StatementLine]
    total_amount_cents: Cents
    total_owed_cents: Cents
    """The location's outstanding charges as of the statement's date."""


class LedgerReportLine(WireModel):
    """One entry of the ledger report, with the balance right after it."""

    entry_id: Id
    entry_date: date
    kind: EntryKind
    description: str
    student_name: str | None
    location_name: str
    amount_cents: Cents
    """Positive; `kind.sign` says whether it raises or lowers the balance."""
    balance_cents: Cents


class LedgerReport(WireModel):
    """Generate Ledger for This Location: every charge, payment, refund and credit dated in
    [start, end], oldest first, each with the running balance, between the balance before
    `start` and the balance at the end of `end`."""

    heading: ReportHeading
    start: date
    end: date
    full_history: bool
    """The business lets the period be chosen; otherwise it is the last 30 days."""
    opening_balance_cents: Cents
    lines: list[LedgerReportLine]
    charges_cents: Cents
    payments_cents: Cents
    refunds_cents: Cents
    credits_cents: Cents
    closing_balance_cents: Cents
    """opening + charges + refunds − payments − credits."""


class PaymentStatementLine(WireModel):
    """One payment: when, by what (its last four only), for whom and where."""

    entry_id: Id
    paid_on: date
    method_kind: PaymentMethodKind | None
    """None when no stored method is recorded for it (paid at the front desk)."""
    method_brand: str | None
    method_last4: str | None = Field(None, max_length=4)
    student_names: list[str]
    """The students whose charges it paid (none while it is unapplied credit)."""
    location_name: str
    amount_cents: Cents


class PaymentStatement(WireModel):
    """Payment Statement: every payment dated in [start, end] at any location, oldest first,
    and their total (refunds are not netted: they are in the ledger)."""

    heading: ReportHeading
    start: date
    end: date
    lines: list[PaymentStatementLine]
    total_cents: Cents
