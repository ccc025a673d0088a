"""Reports saved from their screens as PDF and CSV, against the real server, then read back as
a spreadsheet and a PDF reader would: the CSV's rows and totals are the screen's, the PDF's
text holds whose report it is and its totals."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pypdf
from textual.pilot import Pilot
from textual.widgets import Static

from portal_tui.exports.csv_file import decimal_amount
from portal_tui.screens.report_export import ReportExportForm
from portal_tui.screens.statements import LEDGER, STATEMENT, PeriodForm, ReportScreen
from portal_tui.widgets.choice import Choice
from portal_tui.wire.statements import LedgerReport, Statement
from tests.tui.pilot import fill, palette, screen_text, until
from tests.tui.test_statements import open_app, report_shown


async def save(pilot: Pilot[None], folder: Path, format: str) -> list[Path]:
    """Ctrl+S on the report, the format and a new folder under `folder` chosen, Save; the
    files saved there."""
    folder = folder / "saved"
    folder.mkdir()
    report = pilot.app.screen
    assert isinstance(report, ReportScreen)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportExportForm))
    pilot.app.screen.query_one("#format", Choice).value = format
    await fill(pilot, "#folder", str(folder))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Saved " in screen_text(pilot))
    assert pilot.app.screen is report
    return sorted(Path(entry.path) for entry in os.scandir(folder))


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


async def test_a_ledger_saved_as_pdf_and_csv_reads_back_with_the_screens_totals(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_app(sqlite_url, full_ledger_history="true") as pilot:
        await palette(pilot, LEDGER)
        await until(pilot, lambda: isinstance(pilot.app.screen, PeriodForm))
        await fill(pilot, "#field-start Input", "2025-01-01")
        await fill(pilot, "#field-end Input", "2026-02-28")
        await pilot.press("ctrl+s")
        report = (await report_shown(pilot)).report
        assert isinstance(report, LedgerReport) and len(report.lines) >= 3
        sheet, pdf = await save(pilot, tmp_path, "PDF and CSV")
        assert (pdf.suffix, sheet.suffix) == (".pdf", ".csv") and pdf.stem == sheet.stem
        assert "Rivera Family" in pdf.stem and "2025-01-01 to 2026-02-28" in pdf.stem
        said = str(pilot.app.screen.query_one("#report-saved", Static).render())
        assert said == f"Saved {pdf} and {sheet}"

        rows = csv_rows(sheet)
        assert rows[0] == ["Date", "Type", "Description", "Student", "Amount", "Balance"]
        entries = rows[1 : 1 + len(report.lines)]
        assert [r[2] for r in entries] == [line.description for line in report.lines]
        moved = sum(int(r[4].replace(".", "")) for r in entries)
        assert moved == report.closing_balance_cents - report.opening_balance_cents
        totals = {r[0]: r[-1] for r in rows[2 + len(report.lines) :] if r and r[-1]}
        assert totals["Closing balance"] == decimal_amount(report.closing_balance_cents)
        assert totals["Opening balance"] == decimal_amount(report.opening_balance_cents)
        assert ["Family", "Rivera Family"] in rows

        reader = pypdf.PdfReader(pdf)
        text = "\n".join(page.extract_text() for page in reader.pages)
        closing = report.closing_balance_cents
        assert f"Closing balance: ${closing // 100:,}.{closing % 100:02d}" in text
        assert "Rivera Family" in text and "Riverside Swim & Gym Academy" in text


async def test_a_statement_saved_as_csv_totals_what_the_screen_says_is_owed(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_app(sqlite_url) as pilot:
        await palette(pilot, STATEMENT)
        report = (await report_shown(pilot)).report
        assert isinstance(report, Statement) and report.lines
        (sheet,) = await save(pilot, tmp_path, "CSV")
        rows = csv_rows(sheet)
        owed = [int(r[4].replace(".", "")) for r in rows[1 : 1 + len(report.lines)]]
        assert sum(owed) == report.total_owed_cents
        assert ["Total owed", "", "", "", decimal_amount(report.total_owed_cents)] in rows
        owed_text = f"Total owed ${report.total_owed_cents / 100:,.2f}"
        assert owed_text in " ".join(screen_text(pilot).split())


async def test_a_folder_that_is_not_there_is_said_under_the_field_and_nothing_is_saved(
    sqlite_url: str, tmp_path: Path
) -> None:
    async with open_app(sqlite_url) as pilot:
        await palette(pilot, STATEMENT)
        await report_shown(pilot)
        await palette(pilot, "Save as PDF or CSV")  # the report's actions are in the palette
        await until(pilot, lambda: isinstance(pilot.app.screen, ReportExportForm))
        missing = tmp_path / "missing"
        await fill(pilot, "#folder", str(missing))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Cannot save here" in screen_text(pilot))
        assert "The report was not saved" in screen_text(pilot)
        assert isinstance(pilot.app.screen, ReportExportForm) and not missing.exists()


async def test_a_folder_path_too_long_for_the_file_name_is_said_as_such(
    sqlite_url: str, tmp_path: Path
) -> None:
    deep = tmp_path
    while len(str(deep)) < 4080 - 252:
        deep /= "d" * 250
    deep /= "d" * (4080 - len(str(deep)) - 1)
    deep.mkdir(parents=True)  # it exists, but a file's whole path in it would pass 4,095 bytes
    async with open_app(sqlite_url) as pilot:
        await palette(pilot, STATEMENT)
        await report_shown(pilot)
        await palette(pilot, "Save as PDF or CSV")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReportExportForm))
        await fill(pilot, "#folder", str(deep))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "this folder's path is too long" in screen_text(pilot))
        assert "Pick a folder with a shorter path" in screen_text(pilot)
        assert not any(deep.iterdir())
