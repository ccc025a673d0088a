"""A report as PDF: the business, the report's title, family, location and period at the
top; the table with its headings repeated on each page; the totals; "Page N of M" below.

Text is set in DejaVu Sans (bundled, with its licence, in `fonts/`), so any name or
description prints as written, not only Latin-1.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout

from portal_tui.exports.document import Cell, Column, Document
from portal_tui.widgets.money import format_cents
from portal_tui.wire.text import printable

FONTS = Path(__file__).with_name("fonts")
FONT = "DejaVu"


class _Pages(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align=Align.C)


def _cell(cell: Cell, column: Column, symbol: str) -> str:
    if cell is None:
        return ""
    if column.money and isinstance(cell, int):
        return format_cents(cell, symbol)
    return printable(str(cell))


def _widths(columns: tuple[Column, ...], cells: list[list[str]]) -> tuple[int, ...]:
    """Each column's share of the page: its longest text, between 6 and 40 characters."""
    longest = [len(column.title) for column in columns]
    for row in cells:
        longest = [max(width, len(text)) for width, text in zip(longest, row, strict=True)]
    return tuple(min(40, max(6, width)) for width in longest)


def to_pdf(document: Document) -> bytes:
    wide = len(document.columns) > 5
    pdf = _Pages(orientation="landscape" if wide else "portrait", format="A4")
    pdf.add_font(FONT, style="", fname=FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, style="B", fname=FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(printable(f"{document.title} - {document.family}"))
    pdf.set_author(printable(document.business))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()

    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, printable(document.business), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, printable(document.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    for label, value in (
        ("Family", document.family),
        ("Location", document.location),
        ("Period", document.period),
    ):
        pdf.cell(0, 6, printable(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    symbol = printable(document.symbol)
    aligns = tuple("RIGHT" if column.money else "LEFT" for column in document.columns)
    cells = [
        [_cell(c, col, symbol) for c, col in zip(row, document.columns, strict=True)]
        for row in document.rows
    ]
    pdf.set_font(FONT, size=8)
    with pdf.table(
        text_align=aligns,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=5,
        padding=(1, 1),
        col_widths=_widths(document.columns, cells),
    ) as table:
        table.row([printable(column.title) for column in document.columns])
        for row in cells:
            table.row(row)

    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    for label, cents in document.totals:
        text = printable(f"{label}: {format_cents(cents, symbol)}")
        pdf.cell(0, 6, text, align=Align.R, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
