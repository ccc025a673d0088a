"""Future Absences in the Students tab, against the real server: the list, both create forms
(with the makeup token they earn), cancelling with a confirmation, refusals in place, the
setting off, and snapshots. Today is PORTAL_TODAY (Monday 2026-03-02), Chicago time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from portal_tui.screens.absence_forms import AbsenceByDateForm, AbsenceByEnrollmentForm
from portal_tui.screens.student_absences import EMPTY, AbsencesSection
from portal_tui.screens.students import StudentsTab
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.absences import AbsenceOut
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from portal_tui.wire.students import MakeupTokenStatus
from tests import servers
from tests.tui.pilot import make, open_account, palette, screen_text, type_into, unfocus, until
from tests.tui.students import open_students, show_section

LABELS = (
    "Future Absences",
    "Create Future Absence By Date",
    "Create Future Absence By Enrollment",
    "Cancel Future Absence",
)
TRIP = "Thu 2026-03-26 00:00 → Sun 2026-03-29 23:59"
"""Mia's seeded family trip, in Chicago time."""


class Server:
    """A second client of the same server: what it holds, and changes behind the app."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=f"{url}/api/v1", timeout=10)
        login = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        token = self.http.post("/auth/login", json=login).json()["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.family = f"/families/{self.http.get('/auth/me').json()['family_id']}"

    def student_id(self, first_name: str) -> int:
        students = self.http.get(f"{self.family}/students").json()
        return int(next(s["id"] for s in students if s["first_name"] == first_name))

    def absences(self, first_name: str) -> list[AbsenceOut]:
        path = f"{self.family}/students/{self.student_id(first_name)}/absences"
        return [AbsenceOut.model_validate(a) for a in self.http.get(path).json()]

    def add(self, first_name: str, **body: Any) -> AbsenceOut:
        path = f"{self.family}/students/{self.student_id(first_name)}/absences"
        response = self.http.post(path, json=body)
        assert response.status_code == 201, response.text
        return AbsenceOut.model_validate(response.json())


@pytest.fixture
async def mia(server_url: str) -> AsyncIterator[tuple[Pilot[None], AbsencesSection, Server]]:
    """Mia's Future Absences view, signed in as the demo primary guardian."""
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        view = await show_section(pilot, "absences", "Mia Rivera")
        assert isinstance(view, AbsencesSection)
        yield pilot, view, Server(server_url)


async def reloaded(pilot: Pilot[None], view: AbsencesSection) -> None:
    await until(pilot, lambda: view.ready and not view.loading)


async def form_shown(pilot: Pilot[None], form: type[Any]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, form))
    await until(pilot, lambda: bool(pilot.app.screen.query("#field-note Input")))


def absences_view(pilot: Pilot[None]) -> AbsencesSection:
    return pilot.app.screen.query_one(AbsencesSection)


def field_error(pilot: Pilot[None], name: str) -> str:
    return str(pilot.app.screen.query_one(f"#field-{name} .field-error").render())


async def fill_by_date(pilot: Pilot[None], values: dict[str, str]) -> None:
    for name, value in values.items():
        await type_into(pilot, f"#field-{name} Input", value)


async def test_the_list_shows_each_absence_with_its_class_note_and_token(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, _, _ = mia
    text = screen_text(pilot)
    assert TRIP in text and "Family trip" in text and "None" in text
    await show_section(pilot, "absences", "Leo Rivera")
    await until(pilot, lambda: "Dentist appointment" in screen_text(pilot))
    assert "Swim Level 2" in screen_text(pilot)
    assert "Wed 2026-03-18 16:30–17:15" in screen_text(pilot)


async def test_create_by_date_from_the_palette_earns_a_token(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, view, server = mia
    await palette(pilot, "Create Future Absence By Date")
    await form_shown(pilot, AbsenceByDateForm)
    await fill_by_date(
        pilot,
        {
            "start_date": "2026-03-12",
            "start_time": "16:00",
            "end_date": "2026-03-12",
            "end_time": "19:00",
            "note": "Recital",
        },
    )
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not isinstance(pilot.app.screen, AbsenceByDateForm))
    view = absences_view(pilot)
    await reloaded(pilot, view)
    (made,) = [a for a in server.absences("Mia") if a.note == "Recital"]
    assert made.makeup_token is not None
    text = screen_text(pilot)
    assert "Thu 2026-03-12 16:00–19:00" in text and "Recital" in text
    assert "A makeup token was issued for Northside, good until 2026-05-31." in text
    assert "Earned: Northside, until 2026-05-31" in text


async def test_end_before_start_is_refused_under_the_field_with_the_values_kept(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, _, server = mia
    before = server.absences("Mia")
    await palette(pilot, "Create Future Absence By Date")
    await form_shown(pilot, AbsenceByDateForm)
    await type_into(pilot, "#field-start_date Input", "2026-3-1")
    await until(pilot, lambda: "YYYY-MM-DD" in field_error(pilot, "start_date"))
    typed = {
        "start_date": "2026-03-12",
        "start_time": "16:00",
        "end_date": "2026-03-12",
        "end_time": "15:00",
        "note": "Oops",
    }
    await fill_by_date(pilot, typed)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Must be after the start." in field_error(pilot, "end_time"))
    form = pilot.app.screen
    assert isinstance(form, AbsenceByDateForm) and not form.busy
    assert "An absence must end after it starts." in screen_text(pilot)
    for name, value in typed.items():
        assert form.query_one(f"#field-{name} Input", Input).value == value
    assert server.absences("Mia") == before


async def test_create_by_enrollment_covers_one_class_on_one_date(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, _, server = mia
    await palette(pilot, "Create Future Absence By Enrollment")
    await form_shown(pilot, AbsenceByEnrollmentForm)
    form = pilot.app.screen
    assert isinstance(form, AbsenceByEnrollmentForm)
    gym = next(c for c in form.current_classes.values() if c.class_name == "Gymnastics Beginner")
    form.query_one("#absence-class", Select).value = gym.enrollment_id
    dates = form.query_one("#absence-date", Select)
    await until(pilot, lambda: "2026-03-12" in [value for _, value in dates._options])
    dates.value = "2026-03-12"
    await type_into(pilot, "#field-note Input", "Dentist")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not isinstance(pilot.app.screen, AbsenceByEnrollmentForm))
    await reloaded(pilot, absences_view(pilot))
    (made,) = [a for a in server.absences("Mia") if a.note == "Dentist"]
    assert made.class_name == "Gymnastics Beginner" and made.makeup_token is not None
    text = screen_text(pilot)
    assert "Thu 2026-03-12 17:00–18:00" in text and "Gymnastics Beginner" in text
    assert "A makeup token was issued for Northside" in text


async def test_cancel_asks_naming_the_dates_then_the_empty_state_shows(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, _, server = mia
    await palette(pilot, "Cancel Future Absence")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    confirm = pilot.app.screen
    assert isinstance(confirm, ConfirmScreen)
    assert confirm.question == f"Cancel Mia Rivera's absence {TRIP} (Family trip)?"
    await pilot.click("#confirm")
    await until(pilot, lambda: EMPTY in screen_text(pilot))
    assert server.absences("Mia") == []
    assert f"Cancelled the absence {TRIP} (Family trip)." in screen_text(pilot)


async def test_cancel_from_the_palette_waits_for_the_list_to_load(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        tab = await open_students(pilot)
        assert tab.students is not None
        await tab.select_student(next(s.id for s in tab.students if s.first_name == "Mia"))
        assert not tab.query("#absences-section").first().ready
        await palette(pilot, "Cancel Future Absence")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question == f"Cancel Mia Rivera's absence {TRIP} (Family trip)?"


async def test_a_refused_cancel_says_why_in_place_and_changes_nothing(
    mia: tuple[Pilot[None], AbsencesSection, Server], sqlite_url: str
) -> None:
    """The token the absence earned was used for a makeup after the list was shown."""
    pilot, _, server = mia
    trip = server.absences("Mia")[0]
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        token = tables.MakeupToken(
            student_id=trip.student_id,
            location_id=1,
            status=MakeupTokenStatus.SPENT,
            issued_on=trip.starts_at.date(),
            expires_on=trip.starts_at.date(),
        )
        db.add(token)
        db.flush()
        db.execute(
            update(tables.FutureAbsence)
            .where(tables.FutureAbsence.id == trip.id)
            .values(makeup_token_id=token.id)
        )
    engine.dispose()
    before = server.absences("Mia")
    await palette(pilot, "Cancel Future Absence")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: "already used for a makeup" in screen_text(pilot))
    await reloaded(pilot, absences_view(pilot))
    assert server.absences("Mia") == before
    assert TRIP in screen_text(pilot)


async def test_a_failed_cancel_is_said_once_in_place_not_as_a_failed_load(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    """The absence was cancelled elsewhere after the list was shown: the server says so in
    the message line only; the list stays shown (no load error, no spinner)."""
    pilot, view, server = mia
    trip = server.absences("Mia")[0]
    gone = server.http.delete(f"{server.family}/absences/{trip.id}?version={trip.version}")
    assert gone.status_code == 204, gone.text
    await palette(pilot, "Cancel Future Absence")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    message = view.query_one("#absence-message")
    await until(pilot, lambda: message.has_class("-error"))
    assert not view.query(".tab-error")
    assert not view.loading
    assert TRIP in screen_text(pilot)


async def test_with_the_setting_off_there_is_no_view_and_no_palette_entry(
    sqlite_url: str,
) -> None:
    servers.set_settings(sqlite_url, future_absences="off")
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_account(pilot)
            tab = await open_students(pilot)
            assert isinstance(tab, StudentsTab)
            await until(pilot, lambda: bool(tab.query("#sections")))
            assert not tab.query("#absences-section") and not tab.query("TabPane#absences")
            labels = {c.label for c in screen.palette_commands()}  # type: ignore[attr-defined]
            assert "View Current Enrollments" in labels
            assert not labels & set(LABELS)


async def test_the_palette_label_shows_the_view_from_another_tab(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        screen.query_one("#tabs", TabbedContent).active = "security"
        await palette(pilot, "Future Absences")
        await until(pilot, lambda: bool(screen.query("#absences-section")))
        await until(pilot, lambda: absences_view(pilot).ready)
        assert screen.query_one("#sections", TabbedContent).active == "absences"
        assert screen.query_one("#tabs", TabbedContent).active == "students"


async def test_with_the_setting_on_every_label_is_in_the_palette(
    mia: tuple[Pilot[None], AbsencesSection, Server],
) -> None:
    pilot, _, _ = mia
    labels = {c.label for c in pilot.app.screen.palette_commands()}  # type: ignore[attr-defined]
    assert set(LABELS) <= labels


# Snapshots


def mias_absences() -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await show_section(pilot, "absences", "Mia Rivera")
        await unfocus(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_of_the_view(
    snap_compare: Callable[..., bool], server_url: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make(server_url), terminal_size=size, run_before=mias_absences())


def test_snapshot_of_the_by_date_form_at_80x24(
    snap_compare: Callable[..., bool], server_url: str
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await mias_absences()(pilot)
        absences_view(pilot).action_add_by_date()
        await form_shown(pilot, AbsenceByDateForm)
        await fill_by_date(pilot, {"start_date": "2026-03-12", "start_time": "16:3"})
        await until(pilot, lambda: "HH:MM" in field_error(pilot, "start_time"))
        await pilot.pause(0.2)

    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)
