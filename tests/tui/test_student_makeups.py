"""Makeups on the Students tab against the real server: tokens mode, requests mode, neither."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.screens.main import MainScreen
from portal_tui.screens.student_makeups import MakeupsSection
from portal_tui.screens.students import StudentsTab
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from portal_tui.wire.makeups import MakeupsOut, MakeupTokensOut
from tests.servers import set_settings
from tests.tui.pilot import make, open_account, palette, screen_text, unfocus, until
from tests.tui.students import open_students, show_section

LABELS = {
    "tokens": [
        "Current Location Tokens",
        "Tokens Available in Other Locations",
        "Pending Makeup Tokens",
        "Expired Makeup Tokens",
        "Spent Makeup Tokens",
        "Use Makeup Token",
    ],
    "requests": ["Request a Makeup", "Past Makeups"],
}


class Api:
    """A second client of the same server: what it holds about Mia's makeups."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=f"{url}/api/v1", timeout=10)
        token = self.http.post("/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        family = f"/families/{self.http.get('/auth/me').json()['family_id']}"
        students = self.http.get(f"{family}/students").json()
        mia = next(s["id"] for s in students if s["first_name"] == "Mia")
        self.student = f"{family}/students/{mia}"

    def tokens(self) -> MakeupTokensOut:
        answer = self.http.get(f"{self.student}/makeup-tokens")
        return MakeupTokensOut.model_validate(answer.json())

    def makeups(self) -> MakeupsOut:
        return MakeupsOut.model_validate(self.http.get(f"{self.student}/makeups").json())


def location_id(screen: MainScreen, name: str) -> int:
    return next(loc.id for loc in screen.portal.locations if loc.name == name)


async def mia_makeups(pilot: Pilot[None]) -> MakeupsSection:
    view = await show_section(pilot, "makeups", "Mia Rivera")
    assert isinstance(view, MakeupsSection)
    return view


async def reloaded(pilot: Pilot[None], before: MakeupsSection) -> MakeupsSection:
    """The view as the tab shows it again after a booking changed the student."""
    tab = pilot.app.screen.query_one(StudentsTab)

    def fresh() -> bool:
        views = list(tab.query(MakeupsSection))
        return bool(views) and views[0] is not before and views[0].ready

    await until(pilot, fresh)
    return tab.query_one(MakeupsSection)


async def pick_first(pilot: Pilot[None], expected: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, PickScreen))
    await until(pilot, lambda: expected in screen_text(pilot))
    await pilot.press("enter")


async def test_tokens_show_in_their_groups_and_follow_the_location(server_url: str) -> None:
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        view = await mia_makeups(pilot)
        text = screen_text(pilot)
        assert "Current Location Tokens — Downtown (1)" in text
        assert "Tokens Available in Other Locations (0)" in text
        assert "Pending Makeup Tokens (1)" in text and "Swim Level 3, Sat" in text
        assert "Expired Makeup Tokens (1)" in text and "Spent Makeup Tokens (1)" in text
        labels = {c.label for c in screen.palette_commands()}
        assert {"Makeups", *LABELS["tokens"]} <= labels and not labels & set(LABELS["requests"])
        screen.location_id = location_id(screen, "Northside")
        await until(pilot, lambda: "Current Location Tokens — Northside (0)" in screen_text(pilot))
        await until(pilot, lambda: view.ready)
        assert "No tokens for Northside." in screen_text(pilot)
        assert "Tokens Available in Other Locations (1)" in screen_text(pilot)


async def test_a_group_s_palette_entry_brings_it_into_view_at_80x24(server_url: str) -> None:
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await mia_makeups(pilot)
        assert "Spent Makeup Tokens (1)" not in screen_text(pilot)
        await palette(pilot, "Spent Makeup Tokens")
        await until(pilot, lambda: "Spent Makeup Tokens (1)" in screen_text(pilot))


async def test_using_a_token_books_the_makeup_and_the_token_is_pending(server_url: str) -> None:
    api = Api(server_url)
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        view = await mia_makeups(pilot)
        await palette(pilot, "Use Makeup Token")
        await pick_first(pilot, "Downtown token, expires")
        await pick_first(pilot, "seats open")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        assert "Use the Downtown makeup token for Swim Level 2" in screen_text(pilot)
        await pilot.click("#confirm")
        view = await reloaded(pilot, view)
        text = screen_text(pilot)
        assert "Pending Makeup Tokens (2)" in text and "Swim Level 2, Sat" in text
        assert "Current Location Tokens — Downtown (0)" in text
    held = api.tokens()
    assert len(held.pending) == 2 and not held.current
    assert any(t.makeup and t.makeup.session.class_name == "Swim Level 2" for t in held.pending)


async def test_a_class_filled_meanwhile_is_said_in_place_and_nothing_changes(
    server_url: str, sqlite_url: str
) -> None:
    api = Api(server_url)
    before = api.tokens()
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        view = await mia_makeups(pilot)
        await pilot.click("#use-token")
        await pick_first(pilot, "Downtown token")
        await pick_first(pilot, "seats open")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        engine = make_engine(sqlite_url)
        with make_sessionmaker(engine)() as db, db.begin():
            for klass in db.scalars(select(tables.SchoolClass)):
                klass.capacity = 0
        engine.dispose()
        await pilot.click("#confirm")
        await until(pilot, lambda: "Nothing was booked" in screen_text(pilot))
        assert "That class is full now." in screen_text(pilot)
        assert pilot.app.screen.query_one(MakeupsSection) is view
    assert api.tokens() == before


async def test_requests_mode_books_a_makeup_and_shows_past_makeups(
    server_url: str, sqlite_url: str
) -> None:
    set_settings(sqlite_url, makeup_tokens="false", makeup_requests="true")
    api = Api(server_url)
    before = api.makeups()
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        view = await mia_makeups(pilot)
        text = screen_text(pilot)
        assert "Upcoming Makeups (1)" in text and "Past Makeups (1)" in text
        assert "Current Location Tokens" not in text
        labels = {c.label for c in screen.palette_commands()}
        assert {"Makeups", *LABELS["requests"]} <= labels and not labels & set(LABELS["tokens"])
        await palette(pilot, "Request a Makeup")
        await pick_first(pilot, "seats open")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        view = await reloaded(pilot, view)
        assert "Upcoming Makeups (2)" in screen_text(pilot)
        await palette(pilot, "Past Makeups")
        await until(pilot, lambda: "Past Makeups (1)" in screen_text(pilot))
    after = api.makeups()
    assert len(after.upcoming) == len(before.upcoming) + 1
    assert after.past == before.past


async def test_with_tokens_and_requests_off_there_is_no_makeups_view(
    server_url: str, sqlite_url: str
) -> None:
    set_settings(sqlite_url, makeup_tokens="false", makeup_requests="false")
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        tab = await open_students(pilot)
        await until(pilot, lambda: bool(tab.query("#sections")))
        panes = tab.query_one("#sections", TabbedContent)
        assert "makeups" not in [p.id for p in panes.query("TabPane")]
        labels = {c.label for c in screen.palette_commands()}
        assert not labels & {"Makeups", *LABELS["tokens"], *LABELS["requests"]}


def makeups_view() -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await mia_makeups(pilot)
        await unfocus(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_tokens_snapshot(
    snap_compare: Callable[..., bool], server_url: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make(server_url), terminal_size=size, run_before=makeups_view())
