"""How each report reads on screen: a heading (whose, where, which days), a table whose long
cells wrap rather than being cut, and its totals."""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.table import Table

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
    """A report as shown, its text as lines (each still to be made safe to show)."""

    heading: list[str]
    table: Table | None
    """None when the report has no rows (`empty` says so)."""
    totals: list[str]
    empty: str


WIDE = {"Description": 2}
"""Columns given more of the width than the other text columns."""


def _table(*columns: str, amounts: int = 1) -> Table:
    """Text columns fold (wrap) to fit; the last `amounts` columns are money, right-aligned."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    for index, column in enumerate(columns):
        money = index >= len(columns) - amounts
        table.add_column(
            column,
            overflow="fold",
            justify="right" if money else "left",
            no_wrap=money or column == "Date",
            ratio=None if money or column in ("Date", "Type") else WIDE.get(column, 1),
        )
    return table


def _heading(heading: ReportHeading, where: str, when: str) -> list[str]:
    return [f"{heading.business_name} · {heading.family_name}", f"{where} · {when}"]


def _place(heading: ReportHeading) -> str:
    return heading.location_name or "All locations"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def statement_view(report: Statement) -> ReportView:
    """Date, description, student, amount and what is still owed of each open charge."""
    head = report.heading
    money = head.currency_symbol
    table = _table("Date", "Description", "Student", "Amount", "Owed", amounts=2)
    for line in report.lines:
        cells = (line.entry_date.isoformat(), line.description, line.student_name or "—")
        amounts = (format_cents(line.amount_cents, money), format_cents(line.owed_cents, money))
        table.add_row(*map(safe_text, (*cells, *amounts)))
    count = _plural(len(report.lines), "charge")
    return ReportView(
        heading=_heading(head, _place(head), f"outstanding as of {head.as_of.isoformat()}"),
        table=table if report.lines else None,
        totals=[
            f"Total owed {format_cents(report.total_owed_cents, money)} "
            f"({count}, {format_cents(report.total_amount_cents, money)} charged)"
        ],
        empty=f"Nothing is owed at {_place(head)} as of {head.as_of.isoformat()}.",
    )


def ledger_view(report: LedgerReport) -> ReportView:
    """Every entry of the period with the balance after it, between the opening and the
    closing balance."""
    head = report.heading
    money = head.currency_symbol
    table = _table("Date", "Type", "Description", "Student", "Amount", "Balance", amounts=2)
    for line in report.lines:
        cells = (
            line.entry_date.isoformat(),
            KIND_LABELS[line.kind.value],
            line.description,
            line.student_name or "—",
            format_cents(line.amount_cents * line.kind.sign, money),
            format_cents(line.balance_cents, money),
        )
        table.add_row(*map(safe_text, cells))
    period = f"{report.start.isoformat()} to {report.end.isoformat()}"
    if not report.full_history:
        period += f" (the last {LEDGER_DAYS} days)"
    sums = (
        ("Charges", report.charges_cents),
        ("Payments", report.payments_cents),
        ("Refunds", report.refunds_cents),
        ("Credits", report.credits_cents),
    )
    opening = format_cents(report.opening_balance_cents, money)
    return ReportView(
        heading=[
            *_heading(head, _place(head), period),
            f"Balance before {report.start.isoformat()}: {opening}",
        ],
        table=table if report.lines else None,
        totals=[
            " · ".join(f"{label} {format_cents(cents, money)}" for label, cents in sums),
            f"Opening balance {opening}"
            f" · Closing balance {format_cents(report.closing_balance_cents, money)}"
            f" · {len(report.lines)} {'entry' if len(report.lines) == 1 else 'entries'}",
        ],
        empty=f"No entries at {_place(head)} from {period}.",
    )


def method_label(line: PaymentStatementLine) -> str:
    """E.g. "Visa ••4242"; "Not recorded" when no stored method paid it."""
    if line.method_last4 is None:
        return "Not recorded"
    return f"{line.method_brand or line.method_kind or ''} ••{line.method_last4}".strip()


def payment_statement_view(report: PaymentStatement) -> ReportView:
    """Date, method (last four only), students, location and amount of every payment."""
    head = report.heading
    money = head.currency_symbol
    table = _table("Date", "Method", "Students", "Location", "Amount")
    for line in report.lines:
        cells = (
            line.paid_on.isoformat(),
            method_label(line),
            ", ".join(line.student_names) or "—",
            line.location_name,
            format_cents(line.amount_cents, money),
        )
        table.add_row(*map(safe_text, cells))
    period = f"{report.start.isoformat()} to {report.end.isoformat()}"
    count = _plural(len(report.lines), "payment")
    return ReportView(
        heading=_heading(head, "All locations", f"payments from {period}"),
        table=table if report.lines else None,
        totals=[f"Total paid {format_cents(report.total_cents, money)} ({count})"],
        empty=f"No payments from {period}.",
    )


def view_of(report: Report) -> ReportView:
    if isinstance(report, Statement):
        return statement_view(report)
    if isinstance(report, LedgerReport):
        return ledger_view(report)
    return payment_statement_view(report)
