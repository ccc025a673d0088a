"""Transaction History tab (T1): the ledger, filtered, with its running balance; Enter shows an
entry in full (a payment with its receipt). Opening the tab puts focus on the ledger; a filter
changed keeps focus on that filter, and the table keeps the highlighted entry if still shown
(in the first page). The table fetches only the pages it draws, so any row of any ledger (End,
Home, PageDown, Go to Date) is one request away."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, Static

from portal_tui.commands import PaletteCommand
from portal_tui.screens.balance_chart import BalanceChartScreen
from portal_tui.screens.go_to_date import GoToDateForm
from portal_tui.screens.ledger_entry import LedgerEntryScreen
from portal_tui.screens.statements import report_commands
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.form import Deleted
from portal_tui.widgets.ledger_table import LedgerTable
from portal_tui.widgets.safe import safe
from portal_tui.wire.ledger import EntryKind, LedgerPosition, LedgerRow

FILTERS: dict[str, EntryKind | None] = {
    "All": None,
    "Charges": EntryKind.CHARGE,
    "Payments": EntryKind.PAYMENT,
    "Refunds": EntryKind.REFUND,
}
THIS_LOCATION, ALL_LOCATIONS = "this", "all"

Query = tuple[int | None, EntryKind | None]
"""What the table shows: (location or None for all, kind or None for all)."""


class HistoryTab(AccountTab):
    """The selected location's ledger (or every location's), newest first."""

    TAB_ID = "history"
    TITLE = "Transaction History"
    DESCRIPTION = "The ledger with its running balance"

    location_id: reactive[int | None] = reactive(None, init=False)
    """The header's selected location, bound from the screen."""
    kind: reactive[EntryKind | None] = reactive(None, init=False)
    """The filter: one kind of entry, or None for all."""
    all_locations: reactive[bool] = reactive(False, init=False)
    """Show every location's entries instead of the selected one's."""

    _shown: Query | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield Label("Show")
            yield Choice(
                [(label, label) for label in FILTERS],
                value="All",
                allow_blank=False,
                compact=True,
                id="kind-filter",
            )
            yield Label("at")
            yield Choice(
                [("This location", THIS_LOCATION), ("All locations", ALL_LOCATIONS)],
                value=THIS_LOCATION,
                allow_blank=False,
                compact=True,
                id="scope-filter",
            )
        yield Static(id="history-scope", classes="muted")
        yield LedgerTable(symbol=self.family.business.currency_symbol, id="ledger")

    @on(Choice.Changed, "#kind-filter")
    def _kind_changed(self, event: Choice.Changed) -> None:
        self.kind = FILTERS[str(event.value)]

    @on(Choice.Changed, "#scope-filter")
    def _scope_changed(self, event: Choice.Changed) -> None:
        self.all_locations = event.value == ALL_LOCATIONS

    def set_filter(self, label: str) -> None:
        """Show only one kind of entry: All, Charges, Payments or Refunds."""
        self.show_tab()
        self.query_one("#kind-filter", Choice).value = label

    def palette_commands(self) -> Iterator[PaletteCommand]:
        for label in FILTERS:
            yield PaletteCommand(
                f"Transactions: {label}",
                f"Transaction History filtered to {label.lower()}",
                partial(self.set_filter, label),
            )
        yield PaletteCommand(
            "Go to Date",
            "Transaction History at the newest entry on or before a day",
            self.go_to_date,
        )
        yield PaletteCommand(
            "Show Entry",
            "The highlighted transaction in full (a payment with its receipt)",
            self.show_entry,
        )
        yield PaletteCommand(
            "Balance Chart", "The selected location's balance over time", self.show_chart
        )
        yield from report_commands(self.app, self.family, self.location_id)

    def show_chart(self) -> None:
        """The balance chart of the location selected in the header."""
        if self.location_id is None:
            return
        names = {loc.id: loc.name for loc in self.portal.locations}
        symbol = self.family.business.currency_symbol
        chart = BalanceChartScreen(
            self.family.api, self.location_id, names[self.location_id], symbol
        )
        self.app.push_screen(chart)

    @on(events.Show)
    def _focus_ledger(self) -> None:
        """Opening the tab puts focus on the ledger (unless it is already inside the tab)."""
        if not self.has_focus_within:
            self.query_one(LedgerTable).focus()

    def show_entry(self) -> None:
        """The highlighted entry in full, once the ledger shows (from the palette)."""
        self.show_tab()
        self.when_ready(self._show_highlighted)

    def go_to_date(self) -> None:
        """Ask for a day and move the cursor to the newest entry on or before it, in the
        ledger shown (its filter and location); before the oldest, to the oldest."""
        self.show_tab()
        self.when_ready(self._ask_date)

    def _ask_date(self) -> None:
        location_id, kind = self._query

        async def find(on: date) -> LedgerPosition:
            return await self.family.api.ledger_position(on=on, location_id=location_id, kind=kind)

        self.app.push_screen(GoToDateForm(find), self._went)

    def _went(self, found: LedgerPosition | Deleted | None) -> None:
        if not isinstance(found, LedgerPosition):
            return
        table = self.query_one(LedgerTable)
        table.focus()
        if not found.total:
            self.notify("No transactions to go to.", markup=False)
        elif found.index is None:
            self.notify("No transactions that early: the oldest is shown.", markup=False)
            table.go_to(found.total - 1, found.total)
        else:
            table.go_to(found.index, found.total)

    def _show_highlighted(self) -> None:
        table = self.query_one(LedgerTable)
        table.focus()
        if table.highlighted is None:
            self.notify("No transaction to show.", markup=False)
        else:
            self._show(table.highlighted)

    @on(LedgerTable.EntryChosen)
    def _entry_chosen(self, event: LedgerTable.EntryChosen) -> None:
        self._show(event.row)

    def _show(self, row: LedgerRow) -> None:
        symbol = self.family.business.currency_symbol
        self.app.push_screen(LedgerEntryScreen(row, symbol, self.family.api.payments))

    def watch_location_id(self) -> None:
        self._refilter()

    def watch_kind(self) -> None:
        self._refilter()

    def watch_all_locations(self) -> None:
        self._refilter()

    def _refilter(self) -> None:
        if self._loaded:
            self.reload()

    @property
    def _query(self) -> Query:
        return (None if self.all_locations else self.location_id, self.kind)

    async def fetch(self) -> None:
        self.workers.cancel_group(self, "ledger-page")
        self._shown = None  # a late page must not land here
        table = self.query_one(LedgerTable)
        kept = table.highlighted.id if table.highlighted is not None else None
        query = self._query
        location_id, kind = query
        first = await self.family.api.ledger_window(
            location_id=location_id, kind=kind, start=0, limit=table.page_size
        )
        self._shown = query
        table.show_location = location_id is None
        table.reset(first.total, first.items, keep=kept)
        names = {loc.id: loc.name for loc in self.portal.locations}
        where = "All locations" if location_id is None else names[location_id]
        self.query_one("#history-scope", Static).update(
            safe(f"{where} · newest first · balance after each entry")
        )

    def show_error(self, message: str) -> None:
        """A failed load leaves no rows of an older filter or location behind."""
        self._shown = None
        self.query_one(LedgerTable).reset(0, [])
        super().show_error(message)

    @on(LedgerTable.NeedPage)
    @work(exclusive=True, group="ledger-page", exit_on_error=False)
    async def load_page(self, event: LedgerTable.NeedPage) -> None:
        """Fetch a page the table is missing; the latest ask wins (the table asks again for
        what is still on screen once a page lands), and a page of older filters is dropped."""
        query = self._shown
        if query is None:
            return
        location_id, kind = query
        table = self.query_one(LedgerTable)
        size = table.page_size
        window = await self.family.api.ledger_window(
            location_id=location_id, kind=kind, start=event.page * size, limit=size
        )
        if self._shown == query:
            table.add_page(window.total, event.page, window.items)
