"""Enrollments (S2) against the real server: the list and its toggles, Cancel Waitlist, Drop,
Transfer and Export Schedule, each allowed and refused, and the view's snapshots."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from portal_tui.screens.main import MainScreen
from portal_tui.screens.schedule_export import ScheduleExportForm
from portal_tui.screens.student_enrollments import EnrollmentsSection
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets import save_form
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.widgets.save_form import SaveRequest
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, EnrollmentStatus, StudentOut
from tests.servers import set_settings
from tests.tui.pilot import make, open_account, palette, screen_text, unfocus, until
from tests.tui.students import open_students, show_section


class Api:
    """A second client of the same server: what it holds now."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=f"{url}/api/v1", timeout=10)
        token = self.http.post("/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        self.family = f"/families/{self.http.get('/auth/me').json()['family_id']}"

    def student(self, first_name: str) -> StudentOut:
        found = self.http.get(f"{self.family}/students").json()
        return next(StudentOut.model_validate(s) for s in found if s["first_name"] == first_name)

    def enrollment(self, first_name: str, class_name: str, **match: Any) -> EnrollmentOut:
        match.setdefault("status", EnrollmentStatus.CURRENT)
        return next(
            e
            for e in self.student(first_name).enrollments
            if e.class_name == class_name and all(getattr(e, k) == v for k, v in match.items())
        )


def change_in_database(db_url: str, table: type[Any], row_id: int, **values: Any) -> None:
    """Someone else changes a row behind the app's back."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        row = db.get(table, row_id)
        for name, value in values.items():
            setattr(row, name, value(getattr(row, name)) if callable(value) else value)
    engine.dispose()


Opened = tuple[Pilot[None], EnrollmentsSection, Api]


async def open_enrollments(pilot: Pilot[None], student: str) -> EnrollmentsSection:
    view = await show_section(pilot, "enrollments", student)
    assert isinstance(view, EnrollmentsSection)
    return view


@pytest.fixture
def all_on(sqlite_url: str) -> str:
    set_settings(sqlite_url, drop_enrollments="true", transfer_enrollments="true")
    return sqlite_url


@pytest.fixture
async def app_pilot(server_url: str) -> AsyncIterator[tuple[Pilot[None], Api]]:
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield pilot, Api(server_url)


async def highlight(pilot: Pilot[None], view: EnrollmentsSection, enrollment: Any) -> None:
    """Put the cursor on the row of `enrollment`, as the arrow keys do."""
    table = view.query_one(DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(str(enrollment.id)))
    await until(pilot, lambda: getattr(view.highlighted(), "id", None) == enrollment.id)


async def confirm(pilot: Pilot[None], question: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    shown = " ".join(screen_text(pilot).replace("│", " ").split())
    assert question in shown, shown
    await pilot.click("#confirm")


async def reloaded(pilot: Pilot[None], old: EnrollmentsSection) -> EnrollmentsSection:
    """The view as the tab shows it again after a write."""
    tab = await open_students(pilot)
    await until(pilot, lambda: not old.is_attached and tab.ready)
    view = tab.query_one(EnrollmentsSection)
    await until(pilot, lambda: view.ready)
    return view


# The list


async def test_current_classes_with_instructors_and_the_toggles_by_label(
    app_pilot: tuple[Pilot[None], Api],
) -> None:
    pilot, _ = app_pilot
    view = await open_enrollments(pilot, "Mia Rivera")
    text = screen_text(pilot)
    assert "Swim Level 3" in text and "Marcus Lee" in text and "Priya Shah" in text
    assert "Hidden: past enrollments (press p to show)." in text
    assert "Swim Level 2" not in text  # her past class
    await palette(pilot, "Show/Hide Past Enrollments")
    await until(pilot, lambda: "Swim Level 2" in screen_text(pilot))
    assert "Ended (enrolled)" in screen_text(pilot)
    await palette(pilot, "View Current Enrollments")
    await until(pilot, lambda: "Swim Level 2" not in screen_text(pilot))
    assert view.is_attached


async def test_waitlist_places_show_with_their_position_until_hidden(
    app_pilot: tuple[Pilot[None], Api],
) -> None:
    pilot, _ = app_pilot
    await open_enrollments(pilot, "Ava Rivera")
    assert "Waitlist #2" in screen_text(pilot)
    await palette(pilot, "Show/Hide Waitlist Enrollments")
    await until(pilot, lambda: "Waitlist #2" not in screen_text(pilot))
    assert "Hidden: waitlist places (press w to show), past" in screen_text(pilot)


async def test_a_student_without_classes_is_told_what_to_do(server_url: str) -> None:
    api = Api(server_url)
    added = api.http.post(
        f"{api.family}/students", json={"first_name": "Noa", "last_name": "Rivera"}
    )
    assert added.status_code == 201
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await open_enrollments(pilot, "Noa Rivera")
        text = " ".join(screen_text(pilot).split())
        assert "Noa Rivera has no current enrollments. Classes are booked with the business" in text


# Cancel Waitlist


async def test_cancel_waitlist_asks_naming_the_place_and_cancels_it(
    app_pilot: tuple[Pilot[None], Api],
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Ava Rivera")
    place = api.enrollment("Ava", "Gymnastics Beginner", kind=EnrollmentKind.WAITLIST)
    await highlight(pilot, view, place)
    await palette(pilot, "Cancel Waitlist")
    await confirm(pilot, "Cancel Ava Rivera's waitlist place in Gymnastics Beginner (Downtown")
    await reloaded(pilot, view)
    cancelled = api.enrollment("Ava", "Gymnastics Beginner", id=place.id, status="cancelled")
    assert cancelled.waitlist_position is None
    assert "Waitlist #2" not in screen_text(pilot)


async def test_cancelling_a_place_changed_meanwhile_is_refused_in_place(
    app_pilot: tuple[Pilot[None], Api], sqlite_url: str
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Ava Rivera")
    place = api.enrollment("Ava", "Gymnastics Beginner", kind=EnrollmentKind.WAITLIST)
    await highlight(pilot, view, place)
    change_in_database(sqlite_url, tables.Enrollment, place.id, waitlist_position=1)
    await pilot.press("c")
    await confirm(pilot, "Cancel Ava Rivera's waitlist place")
    await until(pilot, lambda: "Someone changed this" in screen_text(pilot))
    assert "Waitlist #1" in screen_text(pilot)  # shown as it is now
    now = api.enrollment("Ava", "Gymnastics Beginner", id=place.id)
    assert now.status is EnrollmentStatus.CURRENT and now.waitlist_position == 1


async def test_cancel_waitlist_on_a_class_says_why_not_and_asks_nothing(
    app_pilot: tuple[Pilot[None], Api],
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Ava Rivera")
    before = api.student("Ava")
    await highlight(pilot, view, api.enrollment("Ava", "Swim Level 1"))
    await pilot.press("c")
    await until(pilot, lambda: "Highlight a waitlist place" in screen_text(pilot))
    assert not isinstance(pilot.app.screen, ConfirmScreen)
    assert api.student("Ava") == before


# Drop Enrollments


async def test_drop_asks_naming_class_and_student_then_the_class_ends(
    all_on: str, app_pilot: tuple[Pilot[None], Api]
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Mia Rivera")
    gym = api.enrollment("Mia", "Gymnastics Beginner")
    await highlight(pilot, view, gym)
    await pilot.press("d")
    await confirm(pilot, "Drop Gymnastics Beginner (Northside, Thu 17:00–18:00) for Mia Rivera?")
    view = await reloaded(pilot, view)
    assert api.enrollment("Mia", "Gymnastics Beginner", id=gym.id, status="dropped")
    assert str(gym.id) not in view.query_one(DataTable).rows
    assert "Dropped Gymnastics Beginner for Mia Rivera." in screen_text(pilot)  # after reload


async def test_a_drop_of_a_class_changed_meanwhile_is_refused_in_place(
    all_on: str, app_pilot: tuple[Pilot[None], Api]
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Mia Rivera")
    gym = api.enrollment("Mia", "Gymnastics Beginner")
    await highlight(pilot, view, gym)
    change_in_database(all_on, tables.Enrollment, gym.id, start_date=lambda d: d - timedelta(1))
    await palette(pilot, "Drop Enrollments")
    await confirm(pilot, "Drop Gymnastics Beginner")
    await until(pilot, lambda: "Someone changed this" in screen_text(pilot))
    assert "Nothing changed." in screen_text(pilot)
    now = api.enrollment("Mia", "Gymnastics Beginner", id=gym.id)
    assert now.status is EnrollmentStatus.CURRENT and now.version == gym.version + 1
    assert view.is_attached  # shown in place, not reloaded away


# Transfer Enrollments


async def test_transfer_picks_a_class_with_a_seat_asks_and_moves(
    all_on: str, app_pilot: tuple[Pilot[None], Api]
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Mia Rivera")
    gym = api.enrollment("Mia", "Gymnastics Beginner")
    await highlight(pilot, view, gym)
    await palette(pilot, "Transfer Enrollments")
    await until(pilot, lambda: "seats open" in screen_text(pilot))
    shown = " ".join(screen_text(pilot).replace("│", " ").split())
    assert "Lakeview · Thu 16:00–17:00 · Priya Shah · 8 seats open" in shown, shown
    picker = pilot.app.screen
    assert isinstance(picker, PickScreen)
    assert len(picker.choices) == 1  # Downtown's is full
    await pilot.press("enter")
    await confirm(
        pilot,
        "Transfer Mia Rivera from Gymnastics Beginner (Northside, Thu 17:00–18:00) to "
        "Gymnastics Beginner (Lakeview, Thu 16:00–17:00)?",
    )
    await reloaded(pilot, view)
    moved = api.enrollment("Mia", "Gymnastics Beginner")
    assert moved.location_name == "Lakeview" and moved.id != gym.id
    assert api.enrollment("Mia", "Gymnastics Beginner", id=gym.id, status="past")
    assert "Lakeview" in screen_text(pilot)


async def test_a_transfer_into_a_class_that_filled_meanwhile_is_refused_in_place(
    all_on: str, app_pilot: tuple[Pilot[None], Api]
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Mia Rivera")
    gym = api.enrollment("Mia", "Gymnastics Beginner")
    before = api.student("Mia")
    await highlight(pilot, view, gym)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, PickScreen))
    picker = pilot.app.screen
    assert isinstance(picker, PickScreen)
    change_in_database(all_on, tables.SchoolClass, picker.choices[0][0], capacity=0)
    await pilot.press("enter")
    await confirm(pilot, "Transfer Mia Rivera")
    await until(pilot, lambda: "That class is full now" in screen_text(pilot))
    assert "Nothing changed." in screen_text(pilot)
    assert api.student("Mia") == before


async def test_no_seat_anywhere_says_so_without_a_picker(
    all_on: str, app_pilot: tuple[Pilot[None], Api]
) -> None:
    pilot, api = app_pilot
    view = await open_enrollments(pilot, "Leo Rivera")
    swim = api.enrollment("Leo", "Swim Level 2")
    for option in api.http.get(f"{api.family}/enrollments/{swim.id}/transfer-options").json():
        change_in_database(all_on, tables.SchoolClass, option["class_id"], capacity=0)
    await highlight(pilot, view, swim)
    await pilot.press("t")
    await until(pilot, lambda: "nowhere to transfer to" in screen_text(pilot))
    assert not isinstance(pilot.app.screen, PickScreen)


async def test_an_action_on_a_view_not_loaded_yet_does_nothing_and_does_not_crash(
    app_pilot: tuple[Pilot[None], Api],
) -> None:
    pilot, _ = app_pilot
    tab = await open_students(pilot)
    view = tab.query_one(EnrollmentsSection)
    view.stale()  # as before its first load: no table yet
    await view.remove_children()
    for action in ("drop", "cancel_waitlist", "transfer", "show_current", "toggle_past"):
        await view.run_action(action)
    assert view.highlighted() is None
    assert isinstance(pilot.app.screen, MainScreen)


# Settings off


@pytest.mark.parametrize("off", [True, False])
async def test_actions_exist_only_when_the_business_allows_them(
    sqlite_url: str, server_url: str, off: bool
) -> None:
    value = "false" if off else "true"
    set_settings(
        sqlite_url, cancel_waitlist=value, drop_enrollments=value, transfer_enrollments=value
    )
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        view = await open_enrollments(pilot, "Ava Rivera")
        tab = await open_students(pilot)
        labels = {command.label for command in tab.palette_commands()}
        actions = {"Cancel Waitlist", "Drop Enrollments", "Transfer Enrollments"}
        assert (labels & actions) == (set() if off else actions)
        assert {"View Current Enrollments", "Export Schedule"} <= labels
        api = Api(server_url)
        await highlight(pilot, view, api.enrollment("Ava", "Swim Level 1"))
        # the footer follows focus a moment later (focus and its bindings are applied after)
        await until(pilot, lambda: "Export Schedule" in screen_text(pilot).splitlines()[-1])
        footer = screen_text(pilot).splitlines()[-1]
        assert "Export Schedule" in footer
        assert ("Drop" in footer) is not off and ("Cancel Waitlist" in footer) is not off
        before = api.student("Ava")
        message = view.query_one("#enrollments-message", ActionMessage)
        shown = view.query_one("#enrollments-shown", Static)
        for key in "cdt":
            message.clear()
            if off:  # the key does nothing: the next key's effect shows, and nothing else did
                before_toggle = str(shown.render())
                await pilot.press(key, "p")
                await until(pilot, lambda was=before_toggle: str(shown.render()) != was)
                assert isinstance(pilot.app.screen, MainScreen) and not message.display, key
                continue
            await pilot.press(key)
            await until(
                pilot,
                lambda: message.display or not isinstance(pilot.app.screen, MainScreen),
            )
            if isinstance(pilot.app.screen, ConfirmScreen):
                await pilot.press("escape")
                await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        assert api.student("Ava") == before


# Export Schedule


async def test_export_schedule_saves_a_weekly_calendar_where_the_user_says(
    app_pilot: tuple[Pilot[None], Api], tmp_path: Path
) -> None:
    pilot, api = app_pilot
    await open_enrollments(pilot, "Mia Rivera")
    await palette(pilot, "Export Schedule")
    await until(pilot, lambda: isinstance(pilot.app.screen, ScheduleExportForm))
    pilot.app.screen.query_one("#folder", Input).value = str(tmp_path)
    await pilot.press("ctrl+s")
    saved = tmp_path / "Mia-Rivera-schedule.ics"
    await until(pilot, lambda: "schedule to" in screen_text(pilot))
    assert str(saved) in screen_text(pilot)
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(saved.read_bytes()).walk("VEVENT")}
    current = [
        e
        for e in api.student("Mia").enrollments
        if e.kind is EnrollmentKind.REGULAR and e.status is EnrollmentStatus.CURRENT
    ]
    assert sorted(events) == sorted(e.class_name for e in current)
    for enrollment in current:
        event = events[enrollment.class_name]
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[enrollment.weekday]
        assert event["RRULE"]["BYDAY"] == [weekday]
        assert event["DTSTART"].params["TZID"] == "America/Chicago"


async def test_an_unwritable_folder_is_said_under_the_field_and_nothing_is_saved(
    app_pilot: tuple[Pilot[None], Api], tmp_path: Path
) -> None:
    pilot, _ = app_pilot
    await open_enrollments(pilot, "Mia Rivera")
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ScheduleExportForm))
    missing = tmp_path / "no-such-folder"
    pilot.app.screen.query_one("#folder", Input).value = str(missing)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Cannot save here" in screen_text(pilot))
    assert "The schedule was not saved" in screen_text(pilot)
    assert isinstance(pilot.app.screen, ScheduleExportForm) and not missing.exists()
    assert pilot.app.screen.query_one("#folder", Input).value == str(missing)


def test_the_default_folder_is_documents_only_if_it_exists_else_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    monkeypatch.setattr(save_form.platformdirs, "user_documents_dir", lambda: str(documents))
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    assert save_form.default_folder() == str(tmp_path)
    documents.mkdir()
    assert save_form.default_folder() == str(documents)


async def test_a_missing_folder_is_refused_before_the_calendar_is_fetched(tmp_path: Path) -> None:
    class NoFetch:
        async def schedule_ics(self) -> bytes:
            raise AssertionError("fetched the calendar for a folder that does not exist")

    form = ScheduleExportForm(NoFetch(), "Mia Rivera", folder=str(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(NotADirectoryError):
        await form.save(SaveRequest(tmp_path / "missing"))


# Snapshots


def open_view(student: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await open_enrollments(pilot, student)
        await unfocus(pilot)

    return run_before


def test_view_at_120x40(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_view("Ava Rivera"))


def test_view_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_view("Mia Rivera"))
