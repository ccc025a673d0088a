"""Transaction History of a 100,000-entry ledger at 80×24 against the real server: End
reaches the oldest entry and Home the newest, PageDown held and a jump to the middle show
real rows, Go to Date lands on the newest entry on or before the day, and the cache of rows
stays bounded however much of the ledger is visited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from portal_tui.screens.go_to_date import GoToDateForm
from portal_tui.screens.history import HistoryTab
from portal_tui.server import clock, tables
from portal_tui.server.seed import seed_bulk
from portal_tui.server.seed.bulk_ledger import LEDGER_EMAIL
from portal_tui.widgets.ledger_table import MAX_PAGES, LedgerTable
from portal_tui.wire.ledger import EntryKind, LedgerSort, LedgerWindow
from tests import servers
from tests.tui.pilot import fill, make, palette, screen_text, sign_in, until

SIZE = (80, 24)
ENTRIES = 100_000
Entry = tables.LedgerEntry


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo and a family of 100,000 ledger entries (about 9 s to build, once)."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    servers.seed(f"sqlite:///{path}")
    with servers.database(f"sqlite:///{path}") as db:
        seed_bulk(db, today=clock.today(), families=0, ledger_rows=ENTRIES)
    return path


@pytest.fixture
def big_url(big_template: Path, tmp_path: Path) -> str:
    return servers.sqlite_copy(big_template, tmp_path)


async def open_history(pilot: Pilot[None]) -> tuple[HistoryTab, LedgerTable]:
    """Sign in as the big family and open Transaction History; its first rows shown."""
    await sign_in(pilot, LEDGER_EMAIL)
    await until(pilot, lambda: "Ledger Family" in screen_text(pilot))
    await pilot.press("3")
    tab = pilot.app.screen.query_one(HistoryTab)
    table = tab.query_one(LedgerTable)
    await until(pilot, lambda: tab.ready and table.total > 0, seconds=20)
    return tab, table


@pytest.fixture
async def history(big_url: str) -> AsyncIterator[tuple[Pilot[None], HistoryTab, LedgerTable]]:
    """The big family's Transaction History at 80×24, its first rows shown."""
    with servers.live_server(big_url) as url:
        async with make(url).run_test(size=SIZE) as pilot:
            yield pilot, *await open_history(pilot)


def shown(table: LedgerTable) -> bool:
    """Every row on screen is a real row (no placeholder waits for its page)."""
    top = int(table.scroll_y)
    bottom = min(table.total, top + table.scrollable_content_region.height - 1)
    return table.total > 0 and all(table.row(i) is not None for i in range(top, bottom))


def cursor_line(pilot: Pilot[None]) -> str:
    return next(line for line in screen_text(pilot).splitlines() if "▶" in line)


def ordered(url: str, location_id: int | None, kind: EntryKind | None) -> list[tuple[date, int]]:
    """The filter's entries' (date, id), newest first, read from the database."""
    where = [
        Entry.family_id
        == select(tables.Family.id).where(tables.Family.name == "Ledger Family").scalar_subquery()
    ]
    if location_id is not None:
        where.append(Entry.location_id == location_id)
    if kind is not None:
        where.append(Entry.kind == kind.value)
    with servers.database(url) as db:
        rows = db.execute(
            select(Entry.entry_date, Entry.id)
            .where(*where)
            .order_by(Entry.entry_date.desc(), Entry.id.desc())
        ).all()
    return [(day, entry_id) for day, entry_id in rows]


async def test_end_reaches_the_oldest_entry_and_home_the_newest(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], big_url: str
) -> None:
    pilot, tab, table = history
    keys = ordered(big_url, tab.location_id, None)
    assert table.total == len(keys) >= ENTRIES // 3
    await pilot.press("end")
    await until(pilot, lambda: table.highlighted is not None and shown(table))
    oldest = table.highlighted
    assert oldest is not None and (oldest.entry_date, oldest.id) == keys[-1]
    assert table.cursor_row == table.total - 1
    assert oldest.entry_date.isoformat() in cursor_line(pilot)
    assert oldest.description[:12] in cursor_line(pilot)
    await pilot.press("home")
    await until(pilot, lambda: table.cursor_row == 0 and shown(table))
    newest = table.highlighted
    assert newest is not None and (newest.entry_date, newest.id) == keys[0]
    assert newest.entry_date.isoformat() in cursor_line(pilot)


async def test_page_down_held_and_a_jump_to_the_middle_show_real_rows(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], big_url: str
) -> None:
    pilot, tab, table = history
    keys = ordered(big_url, tab.location_id, None)
    presses = 60
    await pilot.press(*["pagedown"] * presses)
    await until(pilot, lambda: shown(table) and table.highlighted is not None)
    step = table.scrollable_content_region.height - 2
    assert table.cursor_row == presses * step
    row = table.highlighted
    assert row is not None and (row.entry_date, row.id) == keys[presses * step]
    table.scroll_to(y=table.total // 2, animate=False)  # as a scrollbar dragged to the middle
    await until(pilot, lambda: int(table.scroll_y) == table.total // 2 and shown(table))
    middle = table.row(table.total // 2)
    assert middle is not None and (middle.entry_date, middle.id) == keys[table.total // 2]
    assert middle.entry_date.isoformat() in screen_text(pilot)


async def test_every_filter_of_all_locations_reaches_its_oldest_entry(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], big_url: str
) -> None:
    pilot, tab, table = history
    tab.all_locations = True
    tab.kind = EntryKind.PAYMENT
    keys = ordered(big_url, None, EntryKind.PAYMENT)
    await until(pilot, lambda: tab.ready and table.total == len(keys))
    table.focus()
    await pilot.press("end")
    await until(pilot, lambda: table.highlighted is not None and shown(table))
    oldest = table.highlighted
    assert oldest is not None and (oldest.entry_date, oldest.id) == keys[-1]
    assert oldest.kind is EntryKind.PAYMENT


async def test_go_to_date_lands_on_the_newest_entry_on_or_before_it(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], big_url: str
) -> None:
    pilot, tab, table = history
    keys = ordered(big_url, tab.location_id, None)
    day = keys[len(keys) // 2][0]
    expected = next(i for i, key in enumerate(keys) if key[0] <= day)
    await palette(pilot, "Go to Date")
    await until(pilot, lambda: isinstance(pilot.app.screen, GoToDateForm))
    await fill(pilot, "#go-to-date", "2021-02-30")
    await pilot.press("enter")
    await until(pilot, lambda: "YYYY-MM-DD" in screen_text(pilot) and "↳" in screen_text(pilot))
    assert isinstance(pilot.app.screen, GoToDateForm)
    assert pilot.app.screen.query_one("#go-to-date").value == "2021-02-30"  # type: ignore[attr-defined]
    await fill(pilot, "#go-to-date", day.isoformat())
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, GoToDateForm))
    await until(pilot, lambda: table.cursor_row == expected and shown(table))
    row = table.highlighted
    assert row is not None and (row.entry_date, row.id) == keys[expected]
    assert day.isoformat() in cursor_line(pilot)
    before = keys[-1][0].replace(year=keys[-1][0].year - 1)
    await palette(pilot, "Go to Date")
    await until(pilot, lambda: isinstance(pilot.app.screen, GoToDateForm))
    await fill(pilot, "#go-to-date", before.isoformat())
    await pilot.press("enter")
    await until(pilot, lambda: table.cursor_row == table.total - 1 and shown(table))
    notes = [n.message for n in pilot.app._notifications]
    assert "No transactions that early: the oldest is shown." in notes


def by_amount(url: str, location_id: int | None) -> list[int]:
    """The location's amounts in amount order (largest first), read from the database."""
    family = select(tables.Family.id).where(tables.Family.name == "Ledger Family")
    with servers.database(url) as db:
        amounts = db.scalars(
            select(Entry.amount_cents)
            .where(Entry.family_id == family.scalar_subquery(), Entry.location_id == location_id)
            .order_by(Entry.amount_cents.desc(), Entry.entry_date.desc(), Entry.id.desc())
        )
        return list(amounts)


def amount_at(table: LedgerTable, index: int) -> int | None:
    row = table.row(index)
    return None if row is None else row.amount_cents


async def test_sorted_by_amount_end_reaches_the_smallest_and_the_middle_shows(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], big_url: str
) -> None:
    pilot, tab, table = history
    amounts = by_amount(big_url, tab.location_id)
    assert amounts[0] > amounts[-1]
    tab.sort = LedgerSort.AMOUNT
    await until(pilot, lambda: tab.ready and amount_at(table, 0) == amounts[0])
    table.focus()
    await pilot.press("end")
    await until(pilot, lambda: table.highlighted is not None and shown(table))
    assert table.cursor_row == len(amounts) - 1
    assert amount_at(table, table.cursor_row) == amounts[-1]
    middle = len(amounts) // 2
    table.cursor_row = middle
    await until(pilot, lambda: table.highlighted is not None and shown(table))
    assert amount_at(table, middle) == amounts[middle]


async def test_the_cache_stays_bounded(
    history: tuple[Pilot[None], HistoryTab, LedgerTable],
) -> None:
    pilot, _tab, table = history
    for step in range(MAX_PAGES + 10):
        table.cursor_row = step * (table.total - 1) // (MAX_PAGES + 9)
        await until(pilot, lambda: table.highlighted is not None and shown(table))
    assert table.cursor_row == table.total - 1
    assert table.cached <= MAX_PAGES * table.page_size
    await pilot.press("home")
    await until(pilot, lambda: shown(table))
    assert table.cached <= MAX_PAGES * table.page_size


async def test_a_screen_across_two_pages_is_one_request(
    history: tuple[Pilot[None], HistoryTab, LedgerTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot, tab, table = history
    asked: list[tuple[int, int]] = []
    read = tab.family.api.ledger_window

    async def counted(**query: Any) -> LedgerWindow:
        asked.append((query["start"], query["limit"]))
        return await read(**query)

    monkeypatch.setattr(tab.family.api, "ledger_window", counted)
    size = table.page_size
    table.cursor_row = 200 * size + 5  # scrolled to the bottom: the screen starts in page 199
    await until(pilot, lambda: shown(table))
    assert int(table.scroll_y) // size == 199
    assert asked == [(199 * size, 2 * size)]


async def test_a_page_that_fails_keeps_the_place_and_ctrl_r_fetches_it(big_url: str) -> None:
    with ExitStack() as running:
        url = running.enter_context(servers.live_server(big_url))
        async with make(url).run_test(size=SIZE) as pilot:
            tab, table = await open_history(pilot)
            newest = table.highlighted
            running.close()  # the server goes away
            await pilot.press("end")
            await until(pilot, lambda: "Cannot reach the portal" in screen_text(pilot))
            await until(pilot, lambda: "▶" in screen_text(pilot))  # kept in view as it shrank
            assert table.cursor_row == table.total - 1
            assert "Not loaded" in cursor_line(pilot)
            await pilot.press("home")  # the rows already here are still here
            await until(pilot, lambda: table.cursor_row == 0)
            assert table.highlighted == newest and shown(table)
            await pilot.press("end")
            port = int(url.rsplit(":", 1)[1])
            running.enter_context(servers.live_server(big_url, port=port))  # it comes back
            await pilot.press("ctrl+r")
            await until(pilot, lambda: tab.ready and shown(table))
            assert "Cannot reach the portal" not in screen_text(pilot)
            assert table.cursor_row == table.total - 1
            oldest = ordered(big_url, tab.location_id, None)[-1]
            row = table.highlighted
            assert row is not None and (row.entry_date, row.id) == oldest
            await until(pilot, lambda: "▶" in screen_text(pilot))  # in view as the table grew
            assert oldest[0].isoformat() in cursor_line(pilot)
