"""Save a report (statement, ledger, payment statement) as PDF, CSV or both, into a folder the
user picks (the documents folder by default). The files are made from what the screen shows."""

from __future__ import annotations

import asyncio

from portal_tui.exports.document import Document
from portal_tui.widgets.save_form import File, SaveForm, SaveRequest

FORMATS = {"PDF": ("pdf",), "CSV": ("csv",), "PDF and CSV": ("pdf", "csv")}


class ReportExportForm(SaveForm):
    """Dismisses with the saved files' paths, or None when cancelled."""

    what = "The report"

    def __init__(self, document: Document, folder: str | None = None) -> None:
        self.document = document
        stem = document.file_stem()
        about = f"Saves “{stem}” with its totals."
        super().__init__(f"Save {document.title}", about, formats=tuple(FORMATS), folder=folder)

    async def files(self, request: SaveRequest) -> list[File]:
        # Imported here: fpdf takes about 0.3 s and 40 MB to import, which every start-up
        # would pay for a report that is rarely saved.
        from portal_tui.exports.csv_file import to_csv
        from portal_tui.exports.pdf_file import to_pdf

        writers = {"pdf": to_pdf, "csv": to_csv}
        suffixes = FORMATS[request.format or "PDF"]
        stem = self.document.file_stem()
        return [
            (f"{stem}.{suffix}", await asyncio.to_thread(writers[suffix], self.document))
            for suffix in suffixes
        ]
