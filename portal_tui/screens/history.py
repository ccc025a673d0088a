"""Transaction History tab (T1): the ledger, filtered, sorted by date or amount, with its
running balance; Enter shows an entry in full (a payment with its receipt). Opening the tab
puts focus on the ledger; a filter changed keeps focus on that filter, and the table keeps the
highlighted entry if still shown (in the first page). The table fetches only the pages it
draws, so any row of any ledger (End, Home, PageDown, Go to Date) is one request away.

The search box narrows the ledger to the newest entries (at most 1,000) whose description
holds its text, within the kind and location filters, in the order chosen (amount order sorts
that set here). Its text is searched for 300 ms after the last key (the latest text wins) and
Escape clears it. While a search loads only the table shows it: the box keeps focus and every
key typed. Go to Date is offered only for the whole ledger in date order."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from functools import partial

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

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
from portal_tui.widgets.search_box import SearchBox
from portal_tui.wire.ledger import (
    SEARCH_LIMIT,
    EntryKind,
    LedgerMatches,
    LedgerPosition,
    LedgerRow,
    LedgerSort,
)

FILTERS: dict[str, EntryKind | None] = {
    "All": None,
    "Charges": EntryKind.CHARGE,
    "Payments": EntryKind.PAYMENT,
    "Refunds": EntryKind.REFUND,
}
THIS_LOCATION, ALL_LOCATIONS = "this", "all"
SEARCH_DELAY = 0.3
"""Seconds after the last key before the search box's text is searched for."""

Query = tuple[int | None, EntryKind | None, LedgerSort, str]
"""What the table shows: (location or None for all, kind or None for all, its order, and the
search text, "" for the whole ledger)."""


def largest_first(rows: list[LedgerRow]) -> list[LedgerRow]:
    """Rows in the server's amount order: largest first, ties newest first."""
    return sorted(rows, key=lambda r: (r.amount_cents, r.entry_date, r.id), reverse=True)


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
    sort: reactive[LedgerSort] = reactive(LedgerSort.DATE, init=False)
    """The order: newest first, or the largest amount first."""

    _shown: Query | None = None
    _matches: LedgerMatches | None = None
    """The search's answer while the table shows one."""

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
            yield Label("by")
            yield Choice(
                [("Date", LedgerSort.DATE), ("Amount", LedgerSort.AMOUNT)],
                value=LedgerSort.DATE,
                allow_blank=False,
                compact=True,
                id="sort-filter",
            )
            yield SearchBox(placeholder="Search", max_length=100, compact=True, id="search")
        yield Static(id="history-scope", classes="muted")
        yield LedgerTable(symbol=self.family.business.currency_symbol, id="ledger")

    @on(Choice.Changed, "#kind-filter")
    def _kind_changed(self, event: Choice.Changed) -> None:
        self.kind = FILTERS[str(event.value)]

    @on(Choice.Changed, "#scope-filter")
    def _scope_changed(self, event: Choice.Changed) -> None:
        self.all_locations = event.value == ALL_LOCATIONS

    @on(Choice.Changed, "#sort-filter")
    def _sort_changed(self, event: Choice.Changed) -> None:
        self.sort = LedgerSort(str(event.value))

    def set_sort(self, sort: LedgerSort) -> None:
        """Sort by date (newest first) or by amount (largest first)."""
        self.show_tab()
        self.query_one("#sort-filter", Choice).value = sort

    def focus_search(self) -> None:
        """Put focus in the search box (from the palette)."""
        self.show_tab()
        self.query_one(SearchBox).focus()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        """Search once typing pauses; a cleared box shows the whole ledger at once."""
        if self._loaded:
            self._search_soon(delay=SEARCH_DELAY if event.value.strip() else 0)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        """Enter searches at once and moves to the rows found."""
        if self._loaded:
            self._search_soon(delay=0)
        self.query_one(LedgerTable).focus()

    @work(exclusive=True, group="search", exit_on_error=False)
    async def _search_soon(self, delay: float = SEARCH_DELAY) -> None:
        """Show the rows for the box's text once typing pauses; a newer key cancels this
        (even mid-request). Only the table shows it is loading, so the box keeps every key."""
        await asyncio.sleep(delay)
        if self.loading:  # a reload is on its way: it reads the box's text when it asks
            return
        if self._shown is not None and self._query == self._shown:
            return
        table = self.query_one(LedgerTable)
        table.loading = True
        try:
            await self._show_rows()
        finally:
            table.loading = False

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
            "Sort by Date",
            "Transaction History newest first",
            partial(self.set_sort, LedgerSort.DATE),
        )
        yield PaletteCommand(
            "Sort by Amount",
            "Transaction History largest amount first",
            partial(self.set_sort, LedgerSort.AMOUNT),
        )
        yield PaletteCommand(
            "Search Transactions", "Search the descriptions of the ledger", self.focus_search
        )
        if self._go_to_date_refused() is None:
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
        where = self.portal.location_name(self.location_id) or ""
        symbol = self.family.business.currency_symbol
        chart = BalanceChartScreen(self.family.api, self.location_id, where, symbol)
        self.app.push_screen(chart)

    @on(events.Show)
    def _focus_ledger(self) -> None:
        """Opening the tab puts focus on the ledger (unless it is already inside the tab), at
        once: `focus()` would land a moment later, after the user may have left the tab, and
        focus inside a hidden tab brings that tab back to the front."""
        if not self.has_focus_within:
            self.screen.set_focus(self.query_one(LedgerTable))

    def show_entry(self) -> None:
        """The highlighted entry in full, once the ledger shows (from the palette)."""
        self.show_tab()
        self.when_ready(self._show_highlighted)

    def go_to_date(self) -> None:
        """Ask for a day and move the cursor to the newest entry on or before it, in the
        ledger shown (its filter and location); before the oldest, to the oldest."""
        self.show_tab()
        self.when_ready(self._ask_date)

    def _go_to_date_refused(self) -> str | None:
        """Why Go to Date cannot apply to the ledger shown (None when it can)."""
        if self.sort is not LedgerSort.DATE:
            return "Go to Date needs the ledger sorted by date: choose Sort by Date first."
        if self._search_text:
            return "Go to Date works on the whole ledger: clear the search first."
        return None

    def _ask_date(self) -> None:
        refused = self._go_to_date_refused()
        if refused is not None:
            self.notify(refused, markup=False)
            return
        location_id, kind, _, _ = self._query

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

    def watch_sort(self) -> None:
        """A search's rows are sorted here; the whole ledger is read again in the new order."""
        if self._matches is not None and self._shown is not None:
            self._shown = (*self._shown[:2], self.sort, self._shown[3])
            self._present(self._matches, self._shown)
        else:
            self._refilter()

    def _refilter(self) -> None:
        if self._loaded:
            self.reload()

    @property
    def _search_text(self) -> str:
        return self.query_one(SearchBox).value.strip()

    @property
    def _query(self) -> Query:
        location_id = None if self.all_locations else self.location_id
        return (location_id, self.kind, self.sort, self._search_text)

    async def fetch(self) -> None:
        self.workers.cancel_group(self, "search")  # this load reads the box's text itself
        await self._show_rows()

    async def _show_rows(self) -> None:
        """Read what the filters, order and search box ask for and show it."""
        self.workers.cancel_group(self, "ledger-page")
        table = self.query_one(LedgerTable)
        query = self._query
        location_id, kind, sort, text = query
        if text:
            self._shown = None  # a late page must not land here
            found = await self.family.api.ledger_search(
                text=text, location_id=location_id, kind=kind, limit=SEARCH_LIMIT
            )
            self._present(found, query)
            return
        kept = table.highlighted.id if table.highlighted is not None else None
        place = table.cursor_row if self._shown == query else None  # the same rows, reloaded
        self._shown = None  # a late page must not land here
        first = await self.family.api.ledger_window(
            location_id=location_id, kind=kind, sort=sort, start=0, limit=table.page_size
        )
        self._matches, self._shown = None, query
        table.show_location = location_id is None
        table.empty_text = "No transactions."
        table.reset(first.total, first.items, keep=kept)
        if place is not None and place >= table.page_size:  # Ctrl+R keeps the user's place
            table.go_to(place, first.total)
        order = "newest first" if sort is LedgerSort.DATE else "largest amount first"
        self._say(f"{self._where(location_id)} · {order} · balance after each entry")

    def _present(self, found: LedgerMatches, query: Query) -> None:
        """Show a search's rows (all of them: a fixed set) in the order chosen."""
        location_id, _, sort, text = query
        rows = largest_first(found.items) if sort is LedgerSort.AMOUNT else found.items
        self._matches, self._shown = found, query
        table = self.query_one(LedgerTable)
        table.show_location = location_id is None
        table.empty_text = "No matches."
        table.reset(len(rows), rows)
        where = self._where(location_id)
        if not rows:
            self._say(f"No entries matching “{text}” · {where}")
        elif found.more:
            self._say(f"The newest {len(rows):,} entries matching “{text}”; refine the search")
        else:
            noun = "entry" if len(rows) == 1 else "entries"
            self._say(f"{len(rows):,} {noun} matching “{text}” · {where}")

    def _where(self, location_id: int | None) -> str:
        return self.portal.location_name(location_id) or "All locations"

    def _say(self, scope: str) -> None:
        self.query_one("#history-scope", Static).update(safe(scope))

    def show_error(self, message: str) -> None:
        """A failed load of other filters, location or search leaves no rows of the older ones
        behind. A page that failed to come keeps the rows and the cursor where they are."""
        if self._shown is None:  # what the filters ask for did not load
            self.query_one(LedgerTable).reset(0, [])
        super().show_error(message)

    @on(LedgerTable.NeedPages)
    @work(exclusive=True, group="ledger-page", exit_on_error=False)
    async def load_pages(self, event: LedgerTable.NeedPages) -> None:
        """Fetch the pages the table is missing; the latest ask wins (the table asks again for
        what is still on screen once pages land), and pages of older filters are dropped. A
        failure is the tab's, shown in place with the rows kept. A search's rows are all here
        already."""
        query = self._shown
        if query is None or query[3]:
            return
        location_id, kind, sort, _ = query
        table = self.query_one(LedgerTable)
        size = table.page_size
        try:
            window = await self.family.api.ledger_window(
                location_id=location_id,
                kind=kind,
                sort=sort,
                start=event.first * size,
                limit=event.count * size,
            )
        except Exception:
            if self._shown == query:
                table.pages_failed(event.first, event.count)
            raise
        if self._shown == query:
            table.add_pages(window.total, event.first, window.items)
