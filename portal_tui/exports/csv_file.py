"""A report as CSV that a spreadsheet opens as it is: UTF-8 with a byte-order mark (which
spreadsheet programs need to read UTF-8), a header row, amounts as plain decimals ("-12.50"),
then the totals and what the report is, each after a blank row.

Text that a spreadsheet would run as a formula (it begins with = + - or @) is written
with a leading apostrophe, so a description from outside cannot become a formula.
"""

from __future__ import annotations

import csv
import io

from portal_tui.exports.document import Cell, Document
from portal_tui.wire.text import printable

FORMULA_START = ("=", "+", "-", "@")
"""What a spreadsheet runs as a formula (tabs and other controls are removed first)."""


def decimal_amount(cents: int) -> str:
    """`-1250` → "-12.50": no currency symbol, no thousands separator, never a float."""
    whole, part = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole}.{part:02d}"


def _text(value: object) -> str:
    text = printable(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(cell: Cell, money: bool) -> str:
    if cell is None:
        return ""
    if money and isinstance(cell, int):
        return decimal_amount(cell)
    return _text(cell)


def to_csv(document: Document) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    money = [column.money for column in document.columns]
    writer.writerow([_text(column.title) for column in document.columns])
    for row in document.rows:
        writer.writerow([_cell(cell, is_money) for cell, is_money in zip(row, money, strict=True)])
    last_money = max((i for i, is_money in enumerate(money) if is_money), default=1)
    writer.writerow([])
    for label, cents in document.totals:
        cells = [""] * len(money)
        cells[0], cells[last_money] = _text(label), decimal_amount(cents)
        writer.writerow(cells)
    writer.writerow([])
    for label, value in (
        ("Report", document.title),
        ("Business", document.business),
        ("Family", document.family),
        ("Location", document.location),
        ("Period", document.period),
    ):
        writer.writerow([label, _text(value)])
    return out.getvalue().encode("utf-8-sig")
