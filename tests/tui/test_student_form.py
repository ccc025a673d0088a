"""Add Student and Edit Student through the one form pattern, against the real server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from portal_tui.screens.student_form import StudentForm
from portal_tui.screens.students import StudentsTab
from portal_tui.wire.students import StudentOut
from tests.tui.api import Api
from tests.tui.pilot import make, open_account, screen_text, type_into, until
from tests.tui.students import open_students, show_section


def students(api: Api) -> list[StudentOut]:
    return [StudentOut.model_validate(s) for s in api.send("GET", "/students").json()]


@pytest.fixture
async def tab(server_url: str) -> AsyncIterator[tuple[Pilot[None], StudentsTab, Api]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield pilot, await open_students(pilot), Api(server_url)


async def open_form(pilot: Pilot[None], key: str) -> StudentForm:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, StudentForm))
    form = pilot.app.screen
    assert isinstance(form, StudentForm)
    return form


async def closed(pilot: Pilot[None], tab: StudentsTab) -> None:
    await until(pilot, lambda: not isinstance(pilot.app.screen, StudentForm))
    await until(pilot, lambda: tab.ready and tab.students is not None)


async def test_add_student_saves_and_shows_the_new_student(
    tab: tuple[Pilot[None], StudentsTab, Api],
) -> None:
    pilot, students_tab, api = tab
    students_tab.focus()
    form = await open_form(pilot, "a")
    await type_into(pilot, "#field-first_name Input", "Noa")
    await type_into(pilot, "#field-last_name Input", "Rivera")
    await type_into(pilot, "#field-birth_date Input", "2021-05-04")
    form.query_one("#field-gender Select", Select).value = "female"
    form.query_one(TextArea).text = "Peanut allergy.\nEpiPen in her bag."
    await pilot.press("ctrl+s")
    await closed(pilot, students_tab)
    noa = next(s for s in students(api) if s.first_name == "Noa")
    assert noa.gender == "female" and noa.medical_notes == "Peanut allergy.\nEpiPen in her bag."
    assert students_tab.student_id == noa.id
    await until(pilot, lambda: "Noa Rivera has no current enrollments." in screen_text(pilot))


async def test_a_refused_birth_date_shows_under_its_field_and_keeps_every_value(
    tab: tuple[Pilot[None], StudentsTab, Api],
) -> None:
    pilot, students_tab, api = tab
    before = students(api)
    students_tab.focus()
    form = await open_form(pilot, "a")
    await type_into(pilot, "#field-first_name Input", "Noa")
    await type_into(pilot, "#field-last_name Input", "Rivera")
    await type_into(pilot, "#field-birth_date Input", "04/05/2021")
    assert "Use the form YYYY-MM-DD" in screen_text(pilot)  # as the user types
    await type_into(pilot, "#field-birth_date Input", "2031-01-01")  # the server's rule
    form.query_one(TextArea).text = "Asthma."
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "cannot be in the future" in screen_text(pilot))
    assert isinstance(pilot.app.screen, StudentForm)
    assert form.fields()["first_name"].control.value == "Noa"  # type: ignore[attr-defined]
    assert form.query_one(TextArea).text == "Asthma."
    assert students(api) == before


async def test_edit_student_changes_the_selected_student(
    tab: tuple[Pilot[None], StudentsTab, Api],
) -> None:
    pilot, students_tab, api = tab
    await show_section(pilot, "enrollments", "Mia Rivera")
    students_tab.focus()
    form = await open_form(pilot, "e")
    assert "Mia Rivera" in form.form_title
    await type_into(pilot, "#field-last_name Input", "Rivera-Lopez")
    await pilot.press("ctrl+s")
    await closed(pilot, students_tab)
    assert any(s.last_name == "Rivera-Lopez" for s in students(api) if s.first_name == "Mia")
    await until(pilot, lambda: "Mia Rivera-Lopez" in screen_text(pilot))


async def test_edit_student_after_a_change_elsewhere_shows_it_and_keeps_the_typing(
    tab: tuple[Pilot[None], StudentsTab, Api],
) -> None:
    pilot, students_tab, api = tab
    await show_section(pilot, "enrollments", "Mia Rivera")
    students_tab.focus()
    form = await open_form(pilot, "e")
    mia = next(s for s in students(api) if s.first_name == "Mia")
    body = {"first_name": "Mia", "last_name": "Changed", "version": mia.version}
    assert api.send("PUT", f"/students/{mia.id}", json=body).status_code == 200
    await type_into(pilot, "#field-last_name Input", "Mine")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Saved meanwhile: Mia Changed" in screen_text(pilot))
    assert form.fields()["last_name"].control.value == "Mine"  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")  # saving again replaces what was saved meanwhile
    await closed(pilot, students_tab)
    assert any(s.last_name == "Mine" for s in students(api) if s.first_name == "Mia")


async def test_add_and_edit_student_are_palette_commands(
    tab: tuple[Pilot[None], StudentsTab, Api],
) -> None:
    pilot, students_tab, _ = tab
    labels = [c.label for c in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]
    assert {"Add Student", "Edit Student", "Student: Mia Rivera"} <= set(labels)
    command = next(
        c
        for c in pilot.app.screen.palette_commands()  # type: ignore[attr-defined]
        if c.label == "Edit Student"
    )
    command.callback()
    await until(pilot, lambda: isinstance(pilot.app.screen, StudentForm))
    assert students_tab.student is not None
    assert students_tab.student.first_name in pilot.app.screen.form_title  # type: ignore[attr-defined]


def add_student_form_with_an_error() -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        tab = await open_students(pilot)
        await show_section(pilot, "enrollments")
        tab.focus()
        await open_form(pilot, "a")
        await type_into(pilot, "#field-first_name Input", "Noa")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is caught on or off by chance
        await type_into(pilot, "#field-birth_date Input", "2021-13")
        await until(pilot, lambda: "Use the form YYYY-MM-DD" in screen_text(pilot))

    return run_before


def test_add_student_form_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=add_student_form_with_an_error())
