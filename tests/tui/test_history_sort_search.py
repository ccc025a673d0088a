"""Transaction History sorted by amount and searched, at 80×24 against the real server: the
largest amount first and End on the smallest; a search narrows the rows (typed, the box keeps
every key), says when nothing matches, and Escape gives back the whole ledger; a failed
search loses nothing typed; Go to Date is offered only for the whole ledger in date order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from portal_tui.screens.go_to_date import GoToDateForm
from portal_tui.screens.history import HistoryTab, largest_first
from portal_tui.widgets.search_box import SearchBox
from portal_tui.wire.ledger import LedgerRow, LedgerSort
from tests.tui.api import Api
from tests.tui.pilot import first_rows, make, open_account, palette, screen_text, until
from tests.tui.test_history import SIZE, open_history


@pytest.fixture
async def pilot(server_url: str) -> AsyncIterator[Pilot[None]]:
    async with make(server_url).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        yield pilot


def ledger(server_url: str, location_id: int | None) -> list[LedgerRow]:
    """The location's whole ledger, newest first, read by a second client."""
    rows: list[LedgerRow] = []
    params: dict[str, Any] = {"limit": 500, "location_id": location_id}
    while True:
        page = Api(server_url).send("GET", "/ledger", params=params).json()
        rows += [LedgerRow.model_validate(item) for item in page["items"]]
        if page["next_cursor"] is None:
            return rows
        params["cursor"] = page["next_cursor"]


def scope_line(tab: HistoryTab) -> str:
    return str(tab.query_one("#history-scope").render())


async def test_sort_by_amount_shows_the_largest_first_and_end_reaches_the_smallest(
    pilot: Pilot[None], server_url: str
) -> None:
    tab, table = await open_history(pilot)
    expected = largest_first(ledger(server_url, tab.location_id))
    await palette(pilot, "Sort by Amount")
    await until(pilot, lambda: tab.ready and "largest amount first" in scope_line(tab))
    assert tab.sort is LedgerSort.AMOUNT
    table.focus()
    assert first_rows(table)[0] == expected[0] == table.highlighted
    assert f"${expected[0].amount_cents // 100}" in screen_text(pilot)
    await pilot.press("end")
    await until(pilot, lambda: table.cursor_row == len(expected) - 1 and table.highlighted)
    assert table.highlighted == expected[-1]
    await palette(pilot, "Sort by Date")
    await until(pilot, lambda: tab.ready and "newest first" in scope_line(tab))
    assert first_rows(table)[0] == ledger(server_url, tab.location_id)[0]


async def test_a_search_narrows_the_rows_and_escape_restores_the_ledger(
    pilot: Pilot[None], server_url: str
) -> None:
    tab, table = await open_history(pilot)
    whole = ledger(server_url, tab.location_id)
    await palette(pilot, "Search Transactions")
    box = tab.query_one(SearchBox)
    await until(pilot, lambda: pilot.app.focused is box)
    await pilot.press(*"sWiM")
    matching = [r for r in whole if "swim" in r.description.lower()]
    assert 0 < len(matching) < len(whole)
    noun = "entry" if len(matching) == 1 else "entries"
    await until(pilot, lambda: f"{len(matching)} {noun} matching “sWiM”" in scope_line(tab))
    assert box.value == "sWiM" and pilot.app.focused is box  # every key kept, focus too
    assert table.total == len(matching) and first_rows(table) == matching
    await palette(pilot, "Sort by Amount")
    await until(pilot, lambda: first_rows(table) == largest_first(matching))
    assert table.total == len(matching)
    box.focus()
    await pilot.press("escape")
    await until(pilot, lambda: tab.ready and table.total == len(whole))
    assert box.value == "" and "largest amount first" in scope_line(tab)
    assert first_rows(table)[:5] == largest_first(whole)[:5]
    await pilot.press("escape")  # the box empty: on to the ledger
    focused: object = pilot.app.focused
    assert focused is table


async def test_a_search_with_no_match_says_so(pilot: Pilot[None]) -> None:
    tab, table = await open_history(pilot)
    box = tab.query_one(SearchBox)
    box.focus()
    await pilot.press(*"50%_x", "enter")
    await until(pilot, lambda: "No entries matching “50%_x”" in scope_line(tab))
    await until(pilot, lambda: "No matches." in screen_text(pilot))
    assert table.total == 0
    assert pilot.app.focused is table  # Enter moved on to the rows


class Unreachable(httpx.AsyncBaseTransport):
    """The server cannot be reached for searches; everything else gets through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/ledger/search"):
            raise httpx.ConnectError("refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_a_failed_search_keeps_what_was_typed_and_retry_searches_again(
    pilot: Pilot[None],
) -> None:
    tab, table = await open_history(pilot)
    screen: Any = pilot.app.screen
    http = screen.family.portal.client._http
    inner = http._transport
    http._transport = Unreachable(inner)
    box = tab.query_one(SearchBox)
    box.focus()
    await pilot.press(*"tuition")
    await until(pilot, lambda: tab.query(".tab-error"))
    assert box.value == "tuition"
    http._transport = inner
    await pilot.press("ctrl+r")
    await until(pilot, lambda: tab.ready and "matching “tuition”" in scope_line(tab))
    assert not tab.query(".tab-error") and box.value == "tuition"
    assert all("tuition" in r.description.lower() for r in first_rows(table))


def offered(pilot: Pilot[None]) -> list[str]:
    """The labels the command palette offers on the current screen."""
    return [command.label for command in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]


async def test_go_to_date_is_offered_only_in_date_order(pilot: Pilot[None]) -> None:
    tab, _table = await open_history(pilot)
    assert {"Go to Date", "Sort by Amount", "Sort by Date", "Search Transactions"} <= set(
        offered(pilot)
    )
    await palette(pilot, "Sort by Amount")
    await until(pilot, lambda: tab.ready and tab.sort is LedgerSort.AMOUNT)
    assert "Go to Date" not in offered(pilot)
    tab.go_to_date()  # asked for anyway (a key, a stale entry): refused with why
    await until(pilot, lambda: any("Sort by Date" in n.message for n in pilot.app._notifications))
    assert not isinstance(pilot.app.screen, GoToDateForm)
    await palette(pilot, "Sort by Date")
    await until(pilot, lambda: tab.ready and tab.sort is LedgerSort.DATE)
    tab.query_one(SearchBox).value = "swim"
    await until(pilot, lambda: tab.ready and "matching" in scope_line(tab))
    assert "Go to Date" not in offered(pilot)
