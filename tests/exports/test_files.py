"""Reports written as CSV and PDF, read back as a spreadsheet and a PDF reader would."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pypdf
import pytest

from portal_tui.exports.csv_file import decimal_amount, to_csv
from portal_tui.exports.document import Column, Document
from portal_tui.exports.pdf_file import to_pdf

COLUMNS = (
    Column("Date"),
    Column("Description"),
    Column("Student"),
    Column("Amount", money=True),
    Column("Owed", money=True),
)


def document(rows: int = 3) -> Document:
    return Document(
        title="Statement",
        business="Riverside Swim & Gym Academy",
        family="Nguyễn Family",
        location="Downtown",
        period="As of 2026-03-02",
        columns=COLUMNS,
        rows=tuple(
            (f"2026-01-{i % 28 + 1:02d}", "Tuition – Swim Level 2", "Mia Rivera", 12_500, -5)
            for i in range(rows)
        ),
        totals=(("Total outstanding", 1_234_567),),
    )


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a spreadsheet needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("cents", "text"), [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (123_456_789, "1234567.89")]
)
def test_amounts_are_plain_decimals(cents: int, text: str) -> None:
    assert decimal_amount(cents) == text


def test_csv_has_a_header_the_rows_the_totals_and_what_it_is() -> None:
    rows = read_csv(to_csv(document()))
    assert rows[0] == ["Date", "Description", "Student", "Amount", "Owed"]
    assert rows[1] == ["2026-01-01", "Tuition – Swim Level 2", "Mia Rivera", "125.00", "-0.05"]
    assert rows[4] == []
    assert rows[5] == ["Total outstanding", "", "", "", "12345.67"]
    assert ["Family", "Nguyễn Family"] in rows and ["Period", "As of 2026-03-02"] in rows
    assert ["Business", "Riverside Swim & Gym Academy"] in rows


def test_text_a_spreadsheet_would_run_is_written_as_text() -> None:
    risky = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\t=1", "Plain"]
    doc = replace(document(0), rows=tuple((r, r, r, 0, 0) for r in risky))
    cells = [row[1] for row in read_csv(to_csv(doc))[1 : 1 + len(risky)]]
    assert cells == ["'" + r for r in risky[:4]] + ["'=1", "Plain"]


def test_pdf_text_holds_the_header_rows_and_totals() -> None:
    reader = pypdf.PdfReader(io.BytesIO(to_pdf(document(200))))
    assert len(reader.pages) > 1
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    for text in ("Riverside Swim & Gym Academy", "Statement", "Nguyễn Family", "Downtown"):
        assert text in first
    assert "As of 2026-03-02" in first and "Tuition – Swim Level 2" in first
    assert "Description" in last, "the headings repeat on every page"
    assert "Total outstanding: $12,345.67" in last
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_file_names_hold_nothing_a_file_system_refuses() -> None:
    doc = replace(document(0), family='A/B\\C: "D"?\x1b', location="../*")
    assert doc.file_stem() == "Statement - A B C D - .. - As of 2026-03-02"


def test_file_names_fit_any_file_system_however_long_the_names() -> None:
    doc = replace(document(0), family="Ñandú " * 60, location="Downtown " * 30)
    stem = doc.file_stem()
    assert len(stem.encode()) <= 200 and stem.startswith("Statement - Ñandú Ñandú")
    assert len(f"{stem}.pdf".encode()) < 255
