"""Passes: each punch pass with its punches, dates, amount and status; "Redeem Punch" asks
first, then uses a punch, and a pass used up meanwhile is refused in place."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.screens.main import MainScreen
from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets.confirm import ConfirmScreen
from tests import servers
from tests.tui.pilot import make, open_account, palette, screen_text, unfocus, until
from tests.tui.students import open_students, show_section


def punches_of(db_url: str, pass_name: str) -> int:
    """How many punches the server holds for the pass named `pass_name`."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        count = db.scalar(
            select(func.count(tables.Punch.id))
            .join(tables.PunchPass, tables.PunchPass.id == tables.Punch.punch_pass_id)
            .where(tables.PunchPass.name == pass_name)
        )
    engine.dispose()
    return int(count or 0)


def use_up(db_url: str, pass_name: str) -> None:
    """Every remaining punch of the pass taken at the front desk meanwhile."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        row = db.scalars(select(tables.PunchPass).where(tables.PunchPass.name == pass_name)).one()
        left = row.punches_total - punches_of(db_url, pass_name)
        db.add_all(tables.Punch(punch_pass_id=row.id, used_at=clock.now()) for _ in range(left))
    engine.dispose()


AVA_PASS = "Open Swim 10-Class Pass"


@pytest.fixture
async def redeeming(sqlite_url: str, server_url: str) -> AsyncIterator[Pilot[None]]:
    """Ava's passes shown, with redeeming allowed."""
    servers.set_settings(sqlite_url, punch_pass_redeem="on")
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        await show_section(pilot, "passes", "Ava Rivera")
        yield pilot


async def test_each_pass_shows_punches_dates_amount_and_status(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await show_section(pilot, "passes", "Ava Rivera")
        text = screen_text(pilot)
        assert AVA_PASS in text and "Active" in text
        assert "4 of 10 punches used, 6 remaining · paid $150.00" in text
        assert "Purchased 2026-01-10 · expires 2026-07-09" in text
        assert not app.screen.query(".redeem"), "redeeming is off by default"
        await show_section(pilot, "passes", "Mia Rivera")
        text = screen_text(pilot)
        assert "Gymnastics 5-Class Drop-In Pass" in text and "Used up (not active)" in text
        assert "5 of 5 punches used, 0 remaining · paid $90.00" in text
        await show_section(pilot, "passes", "Leo Rivera")
        assert "Leo Rivera has no punch passes." in screen_text(pilot)


async def test_redeem_asks_naming_the_pass_then_uses_a_punch(
    redeeming: Pilot[None], sqlite_url: str
) -> None:
    pilot = redeeming
    await palette(pilot, "Redeem Punch")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    confirm = pilot.app.screen
    assert isinstance(confirm, ConfirmScreen)
    assert confirm.question == (
        f"Redeem a punch from {AVA_PASS} for Ava Rivera? 5 of 10 punches will remain."
    )
    await pilot.click("#confirm")
    await until(pilot, lambda: "Redeemed a punch" in screen_text(pilot))
    text = screen_text(pilot)
    assert f"Redeemed a punch from {AVA_PASS}: 5 of 10 punches remain." in text
    assert "5 of 10 punches used, 5 remaining" in text
    assert punches_of(sqlite_url, AVA_PASS) == 5


async def test_keep_redeems_nothing(redeeming: Pilot[None], sqlite_url: str) -> None:
    pilot = redeeming
    await pilot.click(".redeem")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#keep")
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    assert punches_of(sqlite_url, AVA_PASS) == 4
    assert "4 of 10 punches used, 6 remaining" in screen_text(pilot)


async def test_a_pass_used_up_meanwhile_is_refused_in_place(
    redeeming: Pilot[None], sqlite_url: str
) -> None:
    pilot = redeeming
    use_up(sqlite_url, AVA_PASS)
    await pilot.click(".redeem")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: "Used up (not active)" in screen_text(pilot))
    text = screen_text(pilot)
    assert "Every punch of this pass has been used. No punch was redeemed." in text
    assert "Used up (not active)" in text and "10 of 10 punches used, 0 remaining" in text
    assert not pilot.app.screen.query(".redeem")
    assert punches_of(sqlite_url, AVA_PASS) == 10


async def test_redeem_with_no_active_pass_says_so(sqlite_url: str, server_url: str) -> None:
    servers.set_settings(sqlite_url, punch_pass_redeem="on")
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        await show_section(pilot, "passes", "Mia Rivera")
        await palette(pilot, "Redeem Punch")
        await until(pilot, lambda: "no active pass" in screen_text(pilot))
        assert isinstance(app.screen, MainScreen)
        assert "Mia Rivera has no active pass to redeem a punch from." in screen_text(pilot)


@pytest.mark.parametrize(
    ("passes", "redeem"), [("on", "on"), ("on", "off"), ("off", "on"), ("off", "off")]
)
async def test_the_settings_decide_what_shows(sqlite_url: str, passes: str, redeem: str) -> None:
    servers.set_settings(sqlite_url, punch_passes=passes, punch_pass_redeem=redeem)
    shown, redeemable = passes == "on", passes == redeem == "on"
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_students(pilot)
            assert bool(tab.query_one("#sections", TabbedContent).query("#passes")) is shown
            assert isinstance(app.screen, MainScreen)
            labels = {c.label for c in app.screen.palette_commands()}
            assert ("Passes" in labels) is shown
            assert ("Redeem Punch" in labels) is redeemable
            if shown:
                await show_section(pilot, "passes", "Ava Rivera")
                assert bool(app.screen.query(".redeem")) is redeemable


def show_passes(student: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await show_section(pilot, "passes", student)
        await unfocus(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot(
    snap_compare: Callable[..., bool], sqlite_url: str, server_url: str, size: tuple[int, int]
) -> None:
    servers.set_settings(sqlite_url, punch_pass_redeem="on")
    app = make(server_url)
    assert snap_compare(app, terminal_size=size, run_before=show_passes("Ava Rivera"))


async def test_redeem_from_the_palette_before_the_view_was_ever_shown(
    sqlite_url: str, server_url: str
) -> None:
    servers.set_settings(sqlite_url, punch_pass_redeem="on")
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await open_students(pilot)
        await palette(pilot, "Redeem Punch")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question.startswith(f"Redeem a punch from {AVA_PASS} for Ava Rivera?")
