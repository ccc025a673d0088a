"""Each report's layout, in one place: its `Document` (title, whose, where, which days, the
columns, the rows and the totals), which the screen shows as a table whose long cells wrap and
which is saved as PDF or CSV as it is."""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.table import Table

from portal_tui.exports.document import Column, Document
from portal_tui.widgets.ledger_table import KIND_LABELS
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import safe_text
from portal_tui.wire.statements import (
    LEDGER_DAYS,
    LedgerReport,
    PaymentStatement,
    PaymentStatementLine,
    ReportHeading,
    Statement,
)

Report = Statement | LedgerReport | PaymentStatement


@dataclass(frozen=True)
class ReportView:
    """A report as shown: its document, and its text as lines (each still to be made safe
    to show)."""

    document: Document
    heading: list[str]
    table: Table | None
    """None when the report has no rows (`empty` says so)."""
    totals: str
    empty: str


WIDE = {"Description": 2}
"""Columns given more of the width than the other text columns."""
NARROW = ("Date", "Type")
"""Columns as wide as their text, never wrapped."""


def _document(
    title: str,
    heading: ReportHeading,
    where: str,
    period: str,
    columns: tuple[Column, ...],
    rows: list[tuple[str | int, ...]],
    totals: tuple[tuple[str, int], ...],
) -> Document:
    return Document(
        title=title,
        business=heading.business_name,
        family=heading.family_name,
        location=where,
        period=period,
        columns=columns,
        rows=tuple(rows),
        totals=totals,
        symbol=heading.currency_symbol,
    )


def _table(document: Document) -> Table:
    """Text columns fold (wrap) to fit; money columns are right-aligned and never wrap."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    for column in document.columns:
        fixed = column.money or column.title in NARROW
        table.add_column(
            column.title,
            overflow="fold",
            justify="right" if column.money else "left",
            no_wrap=fixed,
            ratio=None if fixed else WIDE.get(column.title, 1),
        )
    for row in document.rows:
        cells = (
            format_cents(cell, document.symbol) if isinstance(cell, int) else str(cell or "")
            for cell in row
        )
        table.add_row(*map(safe_text, cells))
    return table


def _view(document: Document, count: str, empty: str) -> ReportView:
    money = document.symbol
    totals = [f"{label} {format_cents(cents, money)}" for label, cents in document.totals]
    return ReportView(
        document=document,
        heading=[
            f"{document.business} · {document.family}",
            f"{document.location} · {document.period}",
        ],
        table=_table(document) if document.rows else None,
        totals=" · ".join([*totals, count]),
        empty=empty,
    )


def _place(heading: ReportHeading) -> str:
    return heading.location_name or "All locations"


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def statement_view(report: Statement) -> ReportView:
    """Date, description, student, amount and what is still owed of each open charge."""
    head = report.heading
    when = f"Outstanding as of {head.as_of.isoformat()}"
    columns = (
        Column("Date"),
        Column("Description"),
        Column("Student"),
        Column("Amount", money=True),
        Column("Owed", money=True),
    )
    rows: list[tuple[str | int, ...]] = [
        (
            line.entry_date.isoformat(),
            line.description,
            line.student_name or "—",
            line.amount_cents,
            line.owed_cents,
        )
        for line in report.lines
    ]
    totals = (("Total charged", report.total_amount_cents), ("Total owed", report.total_owed_cents))
    document = _document("Statement", head, _place(head), when, columns, rows, totals)
    empty = f"Nothing is owed at {_place(head)} as of {head.as_of.isoformat()}."
    return _view(document, _plural(len(rows), "charge"), empty)


def ledger_view(report: LedgerReport) -> ReportView:
    """Every entry of the period with the balance after it, between the opening and the
    closing balance."""
    head = report.heading
    period = f"{report.start.isoformat()} to {report.end.isoformat()}"
    if not report.full_history:
        period += f" (the last {LEDGER_DAYS} days)"
    columns = (
        Column("Date"),
        Column("Type"),
        Column("Description"),
        Column("Student"),
        Column("Amount", money=True),
        Column("Balance", money=True),
    )
    rows: list[tuple[str | int, ...]] = [
        (
            line.entry_date.isoformat(),
            KIND_LABELS[line.kind.value],
            line.description,
            line.student_name or "—",
            line.amount_cents * line.kind.sign,
            line.balance_cents,
        )
        for line in report.lines
    ]
    totals = (
        ("Opening balance", report.opening_balance_cents),
        ("Charges", report.charges_cents),
        ("Payments", report.payments_cents),
        ("Refunds", report.refunds_cents),
        ("Credits", report.credits_cents),
        ("Closing balance", report.closing_balance_cents),
    )
    document = _document("Ledger", head, _place(head), period, columns, rows, totals)
    empty = f"No entries at {_place(head)} from {period}."
    return _view(document, _plural(len(rows), "entry", "entries"), empty)


def method_label(line: PaymentStatementLine) -> str:
    """E.g. "Visa ••4242"; "Not recorded" when no stored method paid it."""
    if line.method_last4 is None:
        return "Not recorded"
    return f"{line.method_brand or line.method_kind or ''} ••{line.method_last4}".strip()


def payment_statement_view(report: PaymentStatement) -> ReportView:
    """Date, method (last four only), students, location and amount of every payment."""
    period = f"Payments from {report.start.isoformat()} to {report.end.isoformat()}"
    columns = (
        Column("Date"),
        Column("Method"),
        Column("Students"),
        Column("Location"),
        Column("Amount", money=True),
    )
    rows: list[tuple[str | int, ...]] = [
        (
            line.paid_on.isoformat(),
            method_label(line),
            ", ".join(line.student_names) or "—",
            line.location_name,
            line.amount_cents,
        )
        for line in report.lines
    ]
    totals = (("Total paid", report.total_cents),)
    head = report.heading
    document = _document("Payment Statement", head, "All locations", period, columns, rows, totals)
    empty = f"No payments from {report.start.isoformat()} to {report.end.isoformat()}."
    return _view(document, _plural(len(rows), "payment"), empty)


def view_of(report: Report) -> ReportView:
    if isinstance(report, Statement):
        return statement_view(report)
    if isinstance(report, LedgerReport):
        return ledger_view(report)
    return payment_statement_view(report)
