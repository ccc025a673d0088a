"""Students tab (S1–S8): pick a student, then their views — Enrollments, Evaluations,
Attendance, Makeups, Future Absences, QR Codes, Passes — each shown only when it is on."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, TabbedContent, TabPane

from portal_tui.commands import PaletteCommand
from portal_tui.screens.student_absences import AbsencesSection
from portal_tui.screens.student_attendance import AttendanceSection
from portal_tui.screens.student_checkin import CheckinSection
from portal_tui.screens.student_enrollments import EnrollmentsSection
from portal_tui.screens.student_evaluations import EvaluationsSection
from portal_tui.screens.student_form import StudentForm
from portal_tui.screens.student_makeups import MakeupsSection
from portal_tui.screens.student_passes import PassesSection
from portal_tui.screens.student_section import StudentSection
from portal_tui.screens.tab import AccountTab
from portal_tui.signed_in import OpenFamily
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.safe import plain, safe_text
from portal_tui.wire.students import StudentOut

SECTIONS: tuple[type[StudentSection], ...] = (
    EnrollmentsSection,
    EvaluationsSection,
    AttendanceSection,
    MakeupsSection,
    AbsencesSection,
    CheckinSection,
    PassesSection,
)
"""Every view of a student, in tab order; each decides from capabilities whether it shows."""


class StudentsTab(AccountTab):
    """The family's students: one picked at a time, with a tab for each view of them."""

    TAB_ID = "students"
    TITLE = "Students"
    DESCRIPTION = "The family's students: classes, progress, makeups, absences, passes"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("a", "add_student", "Add Student", id="add-student"),
        Binding("e", "edit_student", "Edit Student", id="edit-student"),
    ]

    def __init__(self, family: OpenFamily) -> None:
        super().__init__(family)
        self.students: list[StudentOut] | None = None
        self.student_id: int | None = None
        """The student shown; kept across reloads."""
        self.section_id: str | None = None
        """The view shown; kept across reloads and students."""
        self._pending: tuple[type[StudentSection], str | None] | None = None
        """A palette entry chosen before the students were loaded: run once they are."""

    def sections(self) -> list[type[StudentSection]]:
        return [s for s in SECTIONS if s.enabled(self.family.capabilities)]

    @property
    def student(self) -> StudentOut | None:
        return next((s for s in self.students or [] if s.id == self.student_id), None)

    # Loading and showing

    async def fetch(self) -> None:
        await self.show_students(await self.family.api.students())

    async def show_students(self, students: list[StudentOut]) -> None:
        self.students = students
        if self.student is None:
            self.student_id = students[0].id if students else None
        student = self.student
        await self.remove_children()
        if student is None:
            await self.mount_all(
                [
                    StudentSection.empty(
                        "No students on this account yet. Choose Add Student to add one."
                    ),
                    Button("Add Student", id="add-student-button", compact=True),
                ]
            )
            return
        choices = [(safe_text(s.full_name), s.id) for s in students]
        bar = Horizontal(
            Choice(choices, value=student.id, allow_blank=False, compact=True, id="student"),
            Button("Add Student", id="add-student-button", compact=True),
            Button("Edit Student", id="edit-student-button", compact=True),
            id="student-bar",
        )
        panes = [
            TabPane(section.TITLE, section(self.family, student), id=section.SECTION_ID)
            for section in self.sections()
        ]
        ids = [pane.id for pane in panes]
        active = self.section_id if self.section_id in ids else ids[0]
        tabs = TabbedContent(id="sections")
        for pane in panes:
            tabs.compose_add_child(pane)  # what `with TabbedContent():` does in compose
        await self.mount_all([bar, tabs])
        if active and active != ids[0] and tabs.is_attached:
            tabs.active = active  # after mounting: an app closing meanwhile mounts no tabs
        self.section_id = active
        self.screen.refresh_bindings()  # the new views' keys, in the footer
        self._run_pending()

    def _run_pending(self) -> None:
        if self._pending:
            section, action = self._pending
            self._pending = None
            self.call_after_refresh(self.open_section, section, action)

    @on(Choice.Changed, "#student")
    async def _student_picked(self, event: Choice.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.student_id:
            await self.select_student(event.value)

    async def select_student(self, student_id: int) -> None:
        """Show `student_id`'s views (the view shown stays the same)."""
        self.student_id = student_id
        if self.students is not None:
            await self.show_students(self.students)

    @on(TabbedContent.TabActivated, "#sections")
    def _section_shown(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.section_id = event.pane.id

    @on(StudentSection.StudentChanged)
    def _student_changed(self, event: StudentSection.StudentChanged) -> None:
        event.stop()
        self.reload()

    def open_section(self, section: type[StudentSection], action: str | None = None) -> None:
        """Show a view of the selected student, then run its `action` (from the palette)."""
        self.show_tab()
        if self.students is None or self.student is None:
            self._pending = (section, action)
            if self._loaded and not self.loading:  # an earlier load failed: try again
                self.reload()
            return
        self.query_one("#sections", TabbedContent).active = section.SECTION_ID
        view = self.query_one(f"#{section.SECTION_ID}-section", StudentSection)
        view.focus()
        self.screen.refresh_bindings()
        view.when_ready(partial(self._into, view))
        if action:
            view.when_ready(partial(view.run_action, action))

    def _into(self, view: StudentSection) -> None:
        """Focus inside the view the user asked for, once it shows (a rebuild of the tab may
        have moved focus meanwhile), so its keys work."""
        if not view.has_focus_within:
            view.focus()

    # Add Student, Edit Student

    def action_add_student(self) -> None:
        self._open_form(None)

    def action_edit_student(self) -> None:
        if self.student is not None:
            self._open_form(self.student)

    @on(Button.Pressed, "#add-student-button")
    def _add_pressed(self) -> None:
        self.action_add_student()

    @on(Button.Pressed, "#edit-student-button")
    def _edit_pressed(self) -> None:
        self.action_edit_student()

    def _open_form(self, student: StudentOut | None) -> None:
        self.show_tab()
        form = StudentForm(self.family.api, student)
        self.app.push_screen(form, partial(self._form_closed, form))

    def _form_closed(self, form: StudentForm, result: object) -> None:
        if isinstance(result, StudentOut):
            verb = "Updated" if form.student else "Added"
            self.notify(f"{verb} {plain(result.full_name)}.", markup=False)
            self.student_id = result.id
        if result is not None or form.changed_elsewhere:
            self.reload()

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield PaletteCommand("Add Student", "Add a student to the account", self.action_add_student)
        yield PaletteCommand(
            "Edit Student", "Change the selected student's details", self._edit_from_palette
        )
        capabilities = self.family.capabilities
        for section in self.sections():
            for command in section.commands(capabilities):
                yield PaletteCommand(
                    command.label, command.help, partial(self.open_section, section, command.action)
                )
        for student in self.students or []:
            yield PaletteCommand(
                f"Student: {student.full_name}",
                "Show this student",
                partial(self._show_student, student.id),
            )

    def _edit_from_palette(self) -> None:
        self.show_tab()
        self.action_edit_student()

    async def _show_student(self, student_id: int) -> None:
        self.show_tab()
        await self.select_student(student_id)
