"""Snapshots of each tab at 120×40, and of some at 80×24, with PORTAL_TODAY fixed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.screens.change_password import ChangePasswordForm
from portal_tui.screens.main import MainScreen
from portal_tui.screens.payment_methods import PaymentMethodsPanel
from portal_tui.screens.tab import AccountTab
from portal_tui.server import clock
from portal_tui.widgets.ledger_table import LedgerTable
from tests.tui.pilot import (
    fill,
    first_rows,
    make,
    open_account,
    palette,
    screen_text,
    unfocus,
    until,
)
from tests.tui.students import show_section


def open_tab(tab: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await open_account(pilot)
        screen.query_one(TabbedContent).active = tab
        await until(pilot, lambda: screen.query_one(f"#{tab}-tab", AccountTab).ready)
        if tab == "history":
            await until(pilot, lambda: first_rows(screen.query_one(LedgerTable)))
        if tab == "students":
            await show_section(pilot, "enrollments")
        if tab == "payments":  # the stored methods load on their own
            await until(pilot, lambda: all(p.ready for p in screen.query(PaymentMethodsPanel)))
        await pilot.pause(0.2)

    return run_before


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's clock stopped (the in-process server reads it): session times are fixed."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 2, 15, 4, tzinfo=UTC))


@pytest.mark.parametrize("tab", ["students", "payments", "history", "account-info", "security"])
@pytest.mark.usefixtures("fixed_clock")
def test_tab(snap_compare: Callable[..., bool], server_url: str, tab: str) -> None:
    assert snap_compare(make(server_url), terminal_size=(120, 40), run_before=open_tab(tab))


@pytest.mark.usefixtures("fixed_clock")
def test_security_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=open_tab("security"))


@pytest.mark.usefixtures("fixed_clock")
def test_change_password_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_tab("security")(pilot)
        await palette(pilot, "Change Password")
        await until(pilot, lambda: isinstance(pilot.app.screen, ChangePasswordForm))
        await fill(pilot, "#current_password", "demo-portal-2026")
        await fill(pilot, "#new_password", "password123")
        await until(pilot, lambda: "Too easy to guess" in screen_text(pilot))
        await pilot.pause(0.2)

    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)


def test_students_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=open_tab("students"))


def test_payments_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=open_tab("payments"))


def test_login_at_80x24(snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: pilot.app.screen.query("#email"))
        await unfocus(pilot)

    app = make("https://portal.example.com")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_account_info_at_80x24_without_colour(
    snap_compare: Callable[..., bool], server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_tab("account-info"))


def open_phone_form() -> Callable[[Pilot[None]], object]:
    """The Add Phone form with a number the library refuses, its error under the field."""

    async def run_before(pilot: Pilot[None]) -> None:
        from textual.widgets import Input

        from portal_tui.screens.contact_forms import PhoneForm

        await open_tab("account-info")(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        add_phone = next(c for c in screen.palette_commands() if c.label == "Add Phone")
        add_phone.callback()  # as the palette does: no pointer left hovering a button
        await until(pilot, lambda: isinstance(pilot.app.screen, PhoneForm))
        await until(pilot, lambda: pilot.app.screen.query("#field-number Input"))
        field = pilot.app.screen.query_one("#field-number Input", Input)
        field.cursor_blink = False  # a blinking cursor is caught on or off by chance
        field.focus()
        await pilot.press(*"555 01")
        error = pilot.app.screen.query_one("#field-number .field-error")
        await until(
            pilot, lambda: field.value == "555 01" and "phone number" in str(error.render())
        )
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return run_before


def test_add_phone_form_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_phone_form())


def test_account_info_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_tab("account-info"))


def open_history_of_all_locations(entry: bool) -> Callable[[Pilot[None]], object]:
    """Transaction History of every location; with `entry`, a payment shown in full (its
    receipt read)."""

    async def run_before(pilot: Pilot[None]) -> None:
        from portal_tui.screens.history import HistoryTab
        from portal_tui.widgets.choice import Choice

        await open_tab("history")(pilot)
        tab = pilot.app.screen.query_one(HistoryTab)
        table = tab.query_one(LedgerTable)
        tab.query_one("#scope-filter", Choice).value = "all"
        await until(
            pilot,
            lambda: (
                tab.ready
                and len({r.location_id for r in first_rows(table)}) > 1
                and pilot.app.focused is table
            ),  # given back once the rows show
        )
        if entry:
            table.cursor_row = next(
                i for i, r in enumerate(first_rows(table)) if r.kind == "payment"
            )
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen.query("#receipt-reference"))
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_history_of_all_locations(
    snap_compare: Callable[..., bool], server_url: str, size: tuple[int, int]
) -> None:
    run_before = open_history_of_all_locations(entry=False)
    assert snap_compare(make(server_url), terminal_size=size, run_before=run_before)


def test_payment_entry_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    run_before = open_history_of_all_locations(entry=True)
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)
