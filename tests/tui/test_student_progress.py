"""A student's Evaluations and Attendance views against the real server: data in words, the
attendance setting, the past toggle, empty states, and snapshots at 120×40 and 80×24."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.app import PortalApp
from portal_tui.screens.main import MainScreen
from portal_tui.screens.student_attendance import AttendanceSection
from portal_tui.screens.students import StudentsTab
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests import servers
from tests.tui.pilot import make, open_account, palette, screen_text, until
from tests.tui.students import open_students, show_section

LONG_COMMENT = (
    "Floats on her own for ten seconds with a relaxed head position; next time we will work "
    "on keeping her hips up while she kicks, and on breathing out slowly underwater."
)


def add_student(url: str, first_name: str) -> None:
    """A student added through the API, as a guardian would: no classes, no evaluations."""
    with httpx.Client(base_url=f"{url}/api/v1", timeout=10) as http:
        login = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        token = http.post("/auth/login", json=login).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        family = http.get("/auth/me").json()["family_id"]
        body = {"first_name": first_name, "last_name": "Rivera"}
        assert http.post(f"/families/{family}/students", json=body).status_code == 201


def set_first_comment(db_url: str, comment: str) -> None:
    """Give Mia's first Swim Level 2 skill's evaluation `comment`."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        evaluation = db.scalars(
            select(tables.Evaluation)
            .join(tables.Student, tables.Student.id == tables.Evaluation.student_id)
            .join(tables.Skill, tables.Skill.id == tables.Evaluation.skill_id)
            .where(tables.Student.first_name == "Mia", tables.Skill.name == "Front float on own")
        ).one()
        evaluation.comment = comment
    engine.dispose()


async def shows(pilot: Pilot[None], text: str) -> str:
    """Wait until the screen shows `text` (a loaded view paints on the next refresh); returns
    everything on screen."""
    await until(pilot, lambda: text in screen_text(pilot))
    return screen_text(pilot)


def palette_labels(app: PortalApp) -> set[str]:
    assert isinstance(app.screen, MainScreen)
    return {c.label for c in app.screen.palette_commands()}


@pytest.fixture
async def pilot(server_url: str) -> AsyncIterator[Pilot[None]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield pilot


# Evaluations


async def test_evaluated_skills_per_level_with_status_in_words(pilot: Pilot[None]) -> None:
    await show_section(pilot, "evaluations", "Mia Rivera")
    text = await shows(pilot, "Swim Level 2 — 4 of 4 skills passed")
    assert "Swim Level 3 — 1 of 4 skills passed, 2 in progress, 1 not started" in text
    for words in ("Front crawl 10 m", "Passed", "In progress", "Not started", "2026-02-24"):
        assert words in text
    assert "not yet" not in text.lower()


async def test_evaluated_skills_from_the_palette(pilot: Pilot[None]) -> None:
    tab = await open_students(pilot)
    pilot.app.screen.query_one("#tabs", TabbedContent).active = "security"
    await palette(pilot, "Evaluated Skills")
    await until(pilot, lambda: tab.query_one("#sections", TabbedContent).active == "evaluations")
    await until(pilot, lambda: "skills passed" in screen_text(pilot))


async def test_a_long_comment_wraps_whole_at_80x24(sqlite_url: str) -> None:
    set_first_comment(sqlite_url, LONG_COMMENT)
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_account(pilot)
            await show_section(pilot, "evaluations", "Mia Rivera")
            shown = set((await shows(pilot, "Swim Level 3")).split())
            assert set(LONG_COMMENT.split()) <= shown, "every word of the comment is on screen"


async def test_a_student_without_evaluations_is_told_what_to_expect(server_url: str) -> None:
    add_student(server_url, "Noa")
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        await show_section(pilot, "evaluations", "Noa Rivera")
        await shows(pilot, "No skills evaluated yet — evaluations appear after the instructor")
        await show_section(pilot, "attendance", "Noa Rivera")
        await shows(pilot, "No attendance yet — it appears once Noa is enrolled")


# Attendance


async def test_current_attendance_then_past_on_the_toggle(pilot: Pilot[None]) -> None:
    view = await show_section(pilot, "attendance", "Mia Rivera")
    text = await shows(pilot, "Gymnastics Beginner · Northside · Thu 17:00–18:00")
    assert "8 sessions: 2 present, 3 absent, 2 late, 1 excused" in text
    # 2026-02-26T23:00Z is 17:00 on Thursday the 26th in Chicago
    assert "Thu 2026-02-26   17:00   Late" in text
    assert "Past, ended" not in text and "Show Past Enrollments" in text
    view.focus()
    await pilot.press("p")
    assert "Hide Past Enrollments" in await shows(pilot, "Past, ended 2026-02-21")
    await pilot.click("#toggle-past")
    assert "Past, ended" not in await shows(pilot, "Show Past Enrollments")
    assert not any(w.display for w in view.query(".past"))


async def test_a_makeups_attendance_reads_makeup(pilot: Pilot[None]) -> None:
    view = await show_section(pilot, "attendance", "Mia Rivera")
    assert isinstance(view, AttendanceSection)
    view.show_past = True
    await until(pilot, lambda: "Past, ended 2026-02-21" in screen_text(pilot))
    view.scroll_end(animate=False)
    text = await shows(pilot, "Sat 09:00–09:45 · Makeup · Past, ended 2026-02-21")
    assert "1 session: 1 makeup" in text


async def test_show_hide_past_attendance_from_the_palette(pilot: Pilot[None]) -> None:
    view = await show_section(pilot, "attendance", "Mia Rivera")
    assert isinstance(view, AttendanceSection)
    pilot.app.screen.query_one("#tabs", TabbedContent).active = "security"
    await palette(pilot, "Show/Hide Past Attendance")
    await until(pilot, lambda: view.show_past and "Past, ended" in screen_text(pilot))


@pytest.mark.parametrize("on", [True, False])
async def test_the_attendance_setting_decides_the_view(sqlite_url: str, on: bool) -> None:
    servers.set_settings(sqlite_url, attendance="on" if on else "off")
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_students(pilot)
            await until(pilot, lambda: bool(tab.query("#sections")))
            assert bool(tab.query("TabPane#attendance")) is on
            assert ("Attendance" in palette_labels(app)) is on
            assert ("Show/Hide Past Attendance" in palette_labels(app)) is on
            assert "Evaluated Skills" in palette_labels(app)


async def test_attendance_turned_off_goes_on_refresh(sqlite_url: str) -> None:
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_students(pilot)
            await until(pilot, lambda: bool(tab.query("TabPane#attendance")))
            servers.set_settings(sqlite_url, attendance="off")
            await pilot.press("ctrl+r")
            await until(pilot, lambda: "Attendance" not in palette_labels(app))
            tab = app.screen.query_one(StudentsTab)
            await until(pilot, lambda: tab.ready and bool(tab.query("#sections")))
            assert not tab.query("TabPane#attendance")


# Snapshots


def open_view(section: str, past: bool = False) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        view = await show_section(pilot, section, "Mia Rivera")
        if past:
            await view.run_action("toggle_past")
        view.focus()
        # After another student is picked the footer misses the focus change: ask again.
        pilot.app.screen.refresh_bindings()
        await until(pilot, lambda: "e Edit Student" in screen_text(pilot).splitlines()[-1])
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("section", ["evaluations", "attendance"])
def test_snapshot(
    snap_compare: Callable[..., bool], server_url: str, section: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make(server_url), terminal_size=size, run_before=open_view(section))


def test_snapshot_attendance_with_past(snap_compare: Callable[..., bool], server_url: str) -> None:
    run_before = open_view("attendance", past=True)
    assert snap_compare(make(server_url), terminal_size=(120, 40), run_before=run_before)
