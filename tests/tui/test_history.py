"""Transaction History at 80×24 against the real server: Enter shows an entry in full (a
payment with its receipt, read again from the server), the location stays visible with All
locations, opening the tab puts focus on the ledger, and a filter changed keeps focus."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.app import PortalApp
from portal_tui.screens.history import ALL_LOCATIONS, HistoryTab
from portal_tui.screens.ledger_entry import LedgerEntryScreen
from portal_tui.screens.sign_in_again import SignInAgainScreen
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.ledger_table import LedgerTable
from portal_tui.wire.demo import DEMO_PASSWORD
from portal_tui.wire.ledger import EntryKind
from tests.tui.api import Api
from tests.tui.pilot import (
    fill,
    first_rows,
    make,
    open_account,
    palette,
    screen_text,
    until,
)

SIZE = (80, 24)


@pytest.fixture
async def pilot(server_url: str) -> AsyncIterator[Pilot[None]]:
    """The demo primary guardian's My Account at 80×24."""
    async with make(server_url).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        yield pilot


async def open_history(pilot: Pilot[None]) -> tuple[HistoryTab, LedgerTable]:
    """Press 3, as a user opens the tab; returns it once its rows show."""
    await pilot.press("3")
    tab = pilot.app.screen.query_one(HistoryTab)
    table = tab.query_one(LedgerTable)
    await until(pilot, lambda: tab.ready and first_rows(table))
    return tab, table


async def show_entry(pilot: Pilot[None], table: LedgerTable, kind: EntryKind) -> str:
    """Highlight the first entry of `kind`, press Enter; the dialog's text."""
    table.cursor_row = next(i for i, row in enumerate(first_rows(table)) if row.kind is kind)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, LedgerEntryScreen))
    return screen_text(pilot)


async def test_opening_the_tab_puts_focus_on_the_ledger(pilot: Pilot[None]) -> None:
    _tab, table = await open_history(pilot)
    assert pilot.app.focused is table
    assert "Show Entry" in screen_text(pilot)  # the footer names Enter's action


async def test_enter_on_a_charge_shows_the_whole_entry(pilot: Pilot[None]) -> None:
    _tab, table = await open_history(pilot)
    charge = next(row for row in first_rows(table) if row.kind is EntryKind.CHARGE)
    assert charge.description not in screen_text(pilot)  # cut to fit 80 columns
    text = await show_entry(pilot, table, EntryKind.CHARGE)
    assert charge.description in text
    assert charge.location_name in text and str(charge.student_name) in text
    assert "after this entry" in text and "Receipt" not in text
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(pilot.app.screen, LedgerEntryScreen))
    assert pilot.app.focused is table


async def test_enter_on_a_seeded_payment_shows_its_receipt(pilot: Pilot[None]) -> None:
    _tab, table = await open_history(pilot)
    payment = next(row for row in first_rows(table) if row.kind is EntryKind.PAYMENT)
    await show_entry(pilot, table, EntryKind.PAYMENT)
    await until(pilot, lambda: f"PAY-{payment.id:06d}" in screen_text(pilot))
    text = screen_text(pilot)
    assert "Paid with" in text and "part of the payment" not in text
    await pilot.press("enter")  # Close has focus
    await until(pilot, lambda: not isinstance(pilot.app.screen, LedgerEntryScreen))


async def test_a_refund_names_the_payment_it_refunds(pilot: Pilot[None]) -> None:
    tab, table = await open_history(pilot)
    tab.query_one("#scope-filter", Choice).value = ALL_LOCATIONS  # the refund is at Northside
    await until(pilot, lambda: any(r.kind is EntryKind.REFUND for r in first_rows(table)))
    refund = next(row for row in first_rows(table) if row.kind is EntryKind.REFUND)
    assert refund.refund_of_id is not None
    await show_entry(pilot, table, EntryKind.REFUND)
    await until(pilot, lambda: f"PAY-{refund.refund_of_id:06d}" in screen_text(pilot))
    text = screen_text(pilot)
    assert "Refund of this payment" in text and "Paid with" in text
    assert "part of the payment" not in text


async def test_a_payment_of_two_locations_shows_the_whole_receipt_from_either_entry(
    server_url: str,
) -> None:
    api = Api(server_url)
    method = api.send("GET", "/payments/options").json()["methods"][0]["id"]
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    paid = api.send(
        "POST", "/payments", json={"amount_cents": 45500, "method_id": method}, headers=headers
    )
    assert paid.status_code == 200, paid.text
    reference = paid.json()["reference"]
    async with make(server_url).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        tab, table = await open_history(pilot)
        tab.query_one("#scope-filter", Choice).value = "all"
        await until(
            pilot, lambda: tab.ready and len({r.location_id for r in first_rows(table)}) > 1
        )
        newest = first_rows(table)[:2]  # the payment's two entries, one per location
        assert [r.kind for r in newest] == [EntryKind.PAYMENT] * 2
        for index, row in enumerate(newest):
            table.focus()
            table.cursor_row = index
            await pilot.press("enter")
            await until(pilot, lambda: reference in screen_text(pilot))
            text = screen_text(pilot)
            assert "$455.00" in text
            assert f"part of the payment paid at {row.location_name}" in text
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(pilot.app.screen, LedgerEntryScreen))


async def test_a_filter_changed_keeps_focus_and_the_table_its_entry(pilot: Pilot[None]) -> None:
    tab, table = await open_history(pilot)
    table.cursor_row = 3
    kept = table.highlighted
    assert kept is not None
    scope = tab.query_one("#scope-filter", Choice)
    scope.focus()
    await pilot.press("enter", "down", "enter")  # This location → All locations
    await until(pilot, lambda: tab.ready and len({r.location_id for r in first_rows(table)}) > 1)
    await until(pilot, lambda: pilot.app.focused is scope)
    assert table.highlighted == kept
    text = screen_text(pilot)
    assert "Location" in text
    assert all(loc.name in text for loc in tab.portal.locations if loc.name != "Lakeview")


async def test_show_entry_from_the_palette(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one(TabbedContent).active = "security"
    await palette(pilot, "Show Entry")
    await until(pilot, lambda: isinstance(pilot.app.screen, LedgerEntryScreen))
    table = pilot.app.screen_stack[-2].query_one(LedgerTable)
    assert first_rows(table)[0].description in screen_text(pilot)


async def test_a_receipt_that_cannot_be_read_says_why_beside_the_entry(
    sqlite_url: str, server_url: str
) -> None:
    """A payment recorded with no method has no receipt: the entry still shows, and why not."""
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        entry = tables.LedgerEntry
        db.execute(update(entry).where(entry.kind == "payment").values(payment_method_id=None))
    engine.dispose()
    async with make(server_url).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        _tab, table = await open_history(pilot)
        payment = next(row for row in first_rows(table) if row.kind is EntryKind.PAYMENT)
        await show_entry(pilot, table, EntryKind.PAYMENT)
        await until(pilot, lambda: "This payment has no receipt" in screen_text(pilot))
        assert payment.description in screen_text(pilot)


async def test_a_receipt_read_after_the_session_ended_asks_to_sign_in_and_reads_it(
    pilot: Pilot[None], server_url: str
) -> None:
    app = pilot.app
    assert isinstance(app, PortalApp) and app.family is not None
    _tab, table = await open_history(pilot)
    ended = Api(server_url).http.post(
        "/auth/logout", headers={"Authorization": f"Bearer {app.family.portal.client.token}"}
    )
    assert ended.status_code == 204
    table.cursor_row = next(
        i for i, row in enumerate(first_rows(table)) if row.kind is EntryKind.PAYMENT
    )
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, SignInAgainScreen))
    await fill(pilot, "#password", DEMO_PASSWORD)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, LedgerEntryScreen))
    await until(pilot, lambda: "PAY-" in screen_text(pilot))


async def test_a_failed_load_drops_what_waited_for_it(pilot: Pilot[None]) -> None:
    """Focus given back after a reload waits for the data; a failed load drops it, so a later
    load does not move focus the user has moved since."""
    tab, table = await open_history(pilot)
    tab.reload()
    tab.when_ready(lambda: tab.query_one("#kind-filter").focus())
    tab.show_error("The ledger could not be read.")
    await until(pilot, lambda: tab.ready and not tab.loading)
    await pilot.pause()
    assert pilot.app.focused is not tab.query_one("#kind-filter")
    assert first_rows(table)
