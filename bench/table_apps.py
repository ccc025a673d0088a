"""The three apps `bench.tables` launches, each showing the same big ledger in a table:

- `portal`: the app's own `LedgerTable`, fed by the portal's API client from the server with
  a session already made (as a remembered sign-in starts): it reads the first window and
  fetches pages as they are drawn;
- `datatable`: Textual's stock `DataTable`, filled with every row from a JSON file;
- `fastdatatable`: textual-fastdatatable's Arrow-backed table over the same rows.

Usage: `python -m bench.table_apps portal URL TOKEN FAMILY_ID`, or
`python -m bench.table_apps datatable|fastdatatable FILE.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from portal_tui import collector

if sys.argv[1:2] == ["portal"]:  # launched as the app launches (`portal_tui.cli.main`)
    collector.pause()

from textual.app import App, ComposeResult

from portal_tui.api.client import PortalClient
from portal_tui.widgets.ledger_table import LedgerTable

COLUMNS = ("Date", "Type", "Description", "Student", "Amount", "Balance")


class PortalTableApp(App[None]):
    def __init__(self, server: str, token: str, family_id: str) -> None:
        super().__init__()
        self.family = PortalClient(server, token=token).family(int(family_id))

    def compose(self) -> ComposeResult:
        yield LedgerTable(id="ledger")

    async def on_mount(self) -> None:
        first = await self.family.ledger_window(start=0, limit=100)
        self.query_one(LedgerTable).reset(first.total, first.items)
        self.call_after_refresh(collector.resume)  # as a tab does once its rows are painted

    async def on_ledger_table_need_pages(self, message: LedgerTable.NeedPages) -> None:
        size = LedgerTable.page_size
        start, limit = message.first * size, message.count * size
        window = await self.family.ledger_window(start=start, limit=limit)
        self.query_one(LedgerTable).add_pages(window.total, message.first, window.items)


def _rows(path: str) -> list[list[str]]:
    rows: list[list[str]] = json.loads(Path(path).read_text())
    return rows


class StockTableApp(App[None]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        table: DataTable[str] = DataTable()
        table.add_columns(*COLUMNS)
        table.add_rows(_rows(self.path))
        yield table


class FastTableApp(App[None]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        from textual_fastdatatable import ArrowBackend, DataTable

        columns = list(zip(*_rows(self.path), strict=True))
        data = {name: list(values) for name, values in zip(COLUMNS, columns, strict=True)}
        yield DataTable(backend=ArrowBackend.from_pydict(data))


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "portal":
        PortalTableApp(*args).run()
    else:
        {"datatable": StockTableApp, "fastdatatable": FastTableApp}[kind](*args).run()
