"""Every tab shows the family's data; the location switcher and the palette work."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, TabbedContent

from portal_tui.app import PortalApp
from portal_tui.screens.history import HistoryTab
from portal_tui.screens.main import TABS, MainScreen
from portal_tui.screens.tab import LazyView
from portal_tui.widgets.ledger_table import LedgerTable
from tests.tui.pilot import first_rows, hold_answer, make, open_account, screen_text, until
from tests.tui.students import show_section


@pytest.fixture
async def signed_in(server_url: str) -> AsyncIterator[tuple[PortalApp, Pilot[None]]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield app, pilot


async def show(pilot: Pilot[None], tab: str) -> None:
    pilot.app.screen.query_one(TabbedContent).active = tab
    await until(pilot, lambda: pilot.app.screen.query_one(f"#{tab}-tab").ready)  # type: ignore[attr-defined]


async def test_students_tab_shows_each_student_picked(
    signed_in: tuple[PortalApp, Pilot[None]],
) -> None:
    _, pilot = signed_in
    view = await show_section(pilot, "enrollments")
    assert "Ava Rivera" in screen_text(pilot)
    assert "Waitlist #2" in screen_text(pilot)
    for name in ("Mia Rivera", "Leo Rivera"):
        view = await show_section(pilot, "enrollments", name)
        assert view.student_name == name
        assert name in screen_text(pilot)


async def test_payments_tab(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    _, pilot = signed_in
    await show(pilot, "payments")
    text = screen_text(pilot)
    assert re.search(r"Outstanding +\$", text)
    assert re.search(r"Credit +\$", text)
    assert re.search(r"Balance +\$", text)
    assert "Last payment $" in text


async def test_history_tab_pages_as_it_scrolls(
    signed_in: tuple[PortalApp, Pilot[None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, pilot = signed_in
    monkeypatch.setattr(LedgerTable, "page_size", 40)
    await show(pilot, "history")
    table = app.screen.query_one(LedgerTable)
    await until(pilot, lambda: first_rows(table))
    assert "Balance" in screen_text(pilot)
    app.screen.query_one("#scope-filter", Select).value = "all"
    await until(pilot, lambda: "All locations" in screen_text(pilot) and table.cached == 40)
    assert table.total > 80
    table.focus()
    for _ in range(6):
        await pilot.press("pagedown")
    await until(pilot, lambda: table.highlighted is not None and table.cached > 40)
    await pilot.press("end")
    await until(pilot, lambda: table.highlighted is not None)
    assert table.cursor_row == table.total - 1
    loaded = [row for i in range(table.total) if (row := table.row(i)) is not None]
    assert len({row.id for row in loaded}) == len(loaded) == table.cached
    keys = [(row.entry_date, row.id) for row in loaded]
    assert keys == sorted(keys, reverse=True)
    assert "▶" in screen_text(pilot) and "…" not in screen_text(pilot)


async def test_history_filter_shows_one_kind(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    app, pilot = signed_in
    await show(pilot, "history")
    table = app.screen.query_one(LedgerTable)
    await until(pilot, lambda: first_rows(table))
    history = app.screen.query_one(HistoryTab)
    history.set_filter("Payments")
    await until(
        pilot,
        lambda: first_rows(table) and all(r.kind.value == "payment" for r in first_rows(table)),
    )
    history.set_filter("Refunds")  # the demo's refund is at another location
    await until(pilot, lambda: not table.total and history.ready)
    assert "No transactions." in screen_text(pilot)


async def test_location_switcher_changes_the_history(
    signed_in: tuple[PortalApp, Pilot[None]],
) -> None:
    app, pilot = signed_in
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await show(pilot, "history")
    table = screen.query_one(LedgerTable)
    await until(pilot, lambda: first_rows(table))
    before = screen.location_id
    assert all(row.location_id == before for row in first_rows(table))
    other = next(loc for loc in screen.portal.locations if loc.name == "Northside")
    assert other.id != before
    screen.query_one("#location").value = other.id  # type: ignore[attr-defined]
    await until(pilot, lambda: first_rows(table) and first_rows(table)[0].location_id == other.id)
    assert all(row.location_id == other.id for row in first_rows(table))
    assert other.name in screen_text(pilot)


async def test_account_info_tab(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    _, pilot = signed_in
    await show(pilot, "account-info")
    text = screen_text(pilot)
    assert "Jordan Rivera" in text and "Sam Rivera" in text
    assert "Unassigned" in text
    assert "Unsubscribed" in text
    assert "Can Log In" in text


async def test_security_tab(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    _, pilot = signed_in
    await show(pilot, "security")
    assert "Signed in as Jordan Rivera" in screen_text(pilot)
    assert "Sign Out" in screen_text(pilot)


@pytest.mark.parametrize(
    ("label", "tab"),
    [
        ("Students", "students"),
        ("Payments", "payments"),
        ("Transaction History", "history"),
        ("Account Info", "account-info"),
        ("Security", "security"),
    ],
)
async def test_palette_reaches_each_tab(
    signed_in: tuple[PortalApp, Pilot[None]], label: str, tab: str
) -> None:
    app, pilot = signed_in
    if tab == "students":
        app.screen.query_one(TabbedContent).active = "security"
    await pilot.press("ctrl+p")
    await pilot.press(*label)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await until(pilot, lambda: app.screen.query_one(TabbedContent).active == tab)


@pytest.mark.parametrize(
    ("label", "tab"),
    [("View Current Enrollments", "students"), ("Transactions: Payments", "history")],
)
async def test_palette_runs_a_tab_s_own_commands(
    signed_in: tuple[PortalApp, Pilot[None]], label: str, tab: str
) -> None:
    app, pilot = signed_in
    app.screen.query_one(TabbedContent).active = "security"
    await pilot.press("ctrl+p")
    await pilot.press(*label)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await until(pilot, lambda: app.screen.query_one(TabbedContent).active == tab)
    if tab == "history":
        kind = app.screen.query_one("#kind-filter", Select)
        await until(pilot, lambda: kind.value == "Payments")


async def test_number_keys_follow_the_tabs(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    app, pilot = signed_in
    tabbed = app.screen.query_one(TabbedContent)
    for n, tab in reversed(list(enumerate(TABS, start=1))):
        await pilot.press(str(n))
        await until(pilot, lambda: tabbed.active == tab.TAB_ID)  # noqa: B023 - awaited here
        assert tab.TITLE in screen_text(pilot)


async def test_help_lists_the_keys(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    _, pilot = signed_in
    await pilot.press("f1")
    await until(pilot, lambda: "Command palette" in screen_text(pilot))
    assert "Refresh" in screen_text(pilot)
    await pilot.press("escape")


async def test_ctrl_l_opens_the_location_list(signed_in: tuple[PortalApp, Pilot[None]]) -> None:
    app, pilot = signed_in
    screen = app.screen
    assert isinstance(screen, MainScreen)
    picker = screen.query_one("#location", Select)
    assert "Lakeview" not in screen_text(pilot)
    await pilot.press("ctrl+l")
    await until(pilot, lambda: picker.expanded and "Lakeview" in screen_text(pilot))
    northside = next(loc.id for loc in screen.portal.locations if loc.name == "Northside")
    await pilot.press("down", "down", "enter")  # Downtown → Lakeview → Northside
    await until(pilot, lambda: screen.location_id == northside)
    assert not picker.expanded


@pytest.mark.parametrize("tab", ["payments", "account-info"])
async def test_a_tab_brought_to_the_front_loads_even_without_a_show_event(
    server_url: str, monkeypatch: pytest.MonkeyPatch, tab: str
) -> None:
    """Under load a tab was seen never to get Show (it stayed blank, nothing loading):
    bringing it to the front loads it all the same."""
    monkeypatch.setattr(LazyView, "on_show", lambda self: None)
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await show(pilot, tab)


async def test_a_tab_that_finishes_loading_after_the_user_left_it_does_not_take_focus_back(
    signed_in: tuple[PortalApp, Pilot[None]],
) -> None:
    """Focus given back after a reload goes only to a tab still shown: focus inside a hidden
    tab would bring it back to the front under the user."""
    app, pilot = signed_in
    await show(pilot, "account-info")
    tab = app.screen.query_one("#account-info-tab", LazyView)
    next(w for w in tab.query("*") if w.focusable).focus()
    await until(pilot, lambda: tab.has_focus_within)
    held = hold_answer(pilot, "GET", "/guardians")
    tab.reload()
    await held.answered.wait()
    await pilot.press("2")  # Payments, while Account Info is still loading
    await until(pilot, lambda: app.screen.query_one(TabbedContent).active == "payments")
    held.release.set()
    await until(pilot, lambda: tab.ready)
    await pilot.pause()
    assert app.screen.query_one(TabbedContent).active == "payments"
