"""Helpers for the Students tab's tests: open the tab, pick a student, show one of their views."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.screens.student_section import StudentSection
from portal_tui.screens.students import SECTIONS, StudentsTab
from tests.tui.pilot import until


async def open_students(pilot: Pilot[None]) -> StudentsTab:
    """Bring the Students tab to the front and wait for its students."""
    pilot.app.screen.query_one("#tabs", TabbedContent).active = "students"
    tab = pilot.app.screen.query_one(StudentsTab)
    await until(pilot, lambda: tab.ready and tab.students is not None)
    return tab


async def show_section(
    pilot: Pilot[None], section_id: str, student: str | None = None
) -> StudentSection:
    """Show the view `section_id` (e.g. "makeups") of `student` (a full name; default: the
    first) and wait until it has loaded."""
    tab = await open_students(pilot)
    if student is not None:
        assert tab.students is not None
        chosen = next(s for s in tab.students if s.full_name == student)
        await tab.select_student(chosen.id)
    section = next(s for s in SECTIONS if section_id == s.SECTION_ID)
    tab.open_section(section)
    await until(pilot, lambda: bool(tab.query(f"#{section_id}-section")))
    view = tab.query_one(f"#{section_id}-section", StudentSection)
    await until(pilot, lambda: view.ready and not view.loading)
    return view
