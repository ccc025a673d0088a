"""Transaction History tab (T1): the ledger, filtered, with its running balance."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Checkbox, RadioButton, RadioSet, Static

from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.ledger_table import LedgerTable
from portal_tui.wire.ledger import EntryKind

FILTERS: dict[str, EntryKind | None] = {
    "All": None,
    "Charges": EntryKind.CHARGE,
    "Payments": EntryKind.PAYMENT,
    "Refunds": EntryKind.REFUND,
}
PAGE_SIZE = 200


class HistoryTab(AccountTab):
    """The selected location's ledger (or every location's), newest first."""

    location_id: reactive[int | None] = reactive(None, init=False)
    """The header's selected location, bound from the screen."""
    kind: reactive[EntryKind | None] = reactive(None, init=False)
    """The filter: one kind of entry, or None for all."""
    all_locations: reactive[bool] = reactive(False, init=False)
    """Show every location's entries instead of the selected one's."""

    _cursor: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            with RadioSet(id="kind-filter", compact=True):
                for label in FILTERS:
                    yield RadioButton(label, value=label == "All", compact=True)
            yield Checkbox("All locations", id="scope-filter", compact=True)
        yield Static(id="history-scope", classes="muted")
        yield LedgerTable(symbol=self.portal.business.currency_symbol, id="ledger")

    @on(RadioSet.Changed, "#kind-filter")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self.kind = FILTERS[str(event.pressed.label)]

    @on(Checkbox.Changed, "#scope-filter")
    def _scope_changed(self, event: Checkbox.Changed) -> None:
        self.all_locations = event.value

    def set_filter(self, label: str) -> None:
        """Press the filter button named `label` (All, Charges, Payments, Refunds)."""
        index = list(FILTERS).index(label)
        self.query_one("#kind-filter", RadioSet).query(RadioButton)[index].value = True

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
    def _scope_location(self) -> int | None:
        return None if self.all_locations else self.location_id

    async def fetch(self) -> None:
        self.workers.cancel_group(self, "ledger-more")
        page = await self.portal.client.ledger(
            location_id=self._scope_location, kind=self.kind, limit=PAGE_SIZE
        )
        self._cursor = page.next_cursor
        self.query_one(LedgerTable).set_rows(page.items, has_more=page.next_cursor is not None)
        names = {loc.id: loc.name for loc in self.portal.locations}
        where = "all locations" if self._scope_location is None else names[self._scope_location]
        self.query_one("#history-scope", Static).update(f"Showing {where}; balance of {where}.")

    @on(LedgerTable.NeedMore)
    @work(exclusive=True, group="ledger-more", exit_on_error=False)
    async def load_more(self) -> None:
        if not self._cursor:
            return
        page = await self.portal.client.ledger(
            location_id=self._scope_location, kind=self.kind, cursor=self._cursor, limit=PAGE_SIZE
        )
        self._cursor = page.next_cursor
        self.query_one(LedgerTable).set_rows(
            page.items, has_more=page.next_cursor is not None, append=True
        )
