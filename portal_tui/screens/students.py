"""Students tab: the family's students and their current enrollments."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.widgets import DataTable, Static

from portal_tui.commands import PaletteCommand
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.safe import safe, safe_text
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, StudentOut

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
KIND_LABELS = {
    EnrollmentKind.REGULAR: "Enrolled",
    EnrollmentKind.WAITLIST: "Waitlist",
    EnrollmentKind.MAKEUP: "Makeup",
}


def _when(enrollment: EnrollmentOut) -> str:
    start = enrollment.start_time.strftime("%H:%M")
    end = enrollment.end_time.strftime("%H:%M")
    return f"{WEEKDAYS[enrollment.weekday]} {start}–{end}"


def _status(enrollment: EnrollmentOut) -> str:
    label = KIND_LABELS[enrollment.kind]
    if enrollment.waitlist_position is not None:
        label += f" #{enrollment.waitlist_position}"
    return label


class StudentsTab(AccountTab):
    """Each student with a table of their current enrollments."""

    TAB_ID = "students"
    TITLE = "Students"
    DESCRIPTION = "The family's students and their enrollments"

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield PaletteCommand(
            "View Current Enrollments", "Students and their current classes", self.reveal
        )

    async def fetch(self) -> None:
        await self.show_students(await self.portal.client.students())

    async def show_students(self, students: list[StudentOut]) -> None:
        await self.remove_children()
        widgets: list[Static | DataTable[Text]] = []
        if not students:
            widgets.append(Static("No students on this account yet.", classes="muted"))
        for student in students:
            born = f"  born {student.birth_date.isoformat()}" if student.birth_date else ""
            name = f"{student.first_name} {student.last_name}{born}"
            widgets.append(Static(safe(name), classes="student-name"))
            if not student.enrollments:
                widgets.append(Static("No current enrollments.", classes="muted"))
                continue
            table: DataTable[Text] = DataTable(
                cursor_type="row", zebra_stripes=True, classes="enrollments"
            )
            table.add_columns("Class", "Location", "When", "Status", "Since")
            for enrollment in student.enrollments:
                cells = (
                    enrollment.class_name,
                    enrollment.location_name,
                    _when(enrollment),
                    _status(enrollment),
                    enrollment.start_date.isoformat(),
                )
                table.add_row(*map(safe_text, cells))
            widgets.append(table)
        await self.mount_all(widgets)
