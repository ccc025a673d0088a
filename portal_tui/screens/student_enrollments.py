"""Enrollments (S2): the student's current classes and waitlist places."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.widgets import DataTable

from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.safe import safe_text
from portal_tui.wire.family import Capabilities
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, EnrollmentStatus

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
KIND_LABELS = {
    EnrollmentKind.REGULAR: "Enrolled",
    EnrollmentKind.WAITLIST: "Waitlist",
    EnrollmentKind.MAKEUP: "Makeup",
}


def when(enrollment: EnrollmentOut) -> str:
    """Its weekday and times, e.g. "Mon 16:00–16:45"."""
    start = enrollment.start_time.strftime("%H:%M")
    end = enrollment.end_time.strftime("%H:%M")
    return f"{WEEKDAYS[enrollment.weekday]} {start}–{end}"


def _status(enrollment: EnrollmentOut) -> str:
    label = KIND_LABELS[enrollment.kind]
    if enrollment.waitlist_position is not None:
        label += f" #{enrollment.waitlist_position}"
    return label


class EnrollmentsSection(StudentSection):
    """The student's current enrollments, waitlist places included."""

    SECTION_ID = "enrollments"
    TITLE = "Enrollments"
    DESCRIPTION = "The selected student's classes"

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield SectionCommand("View Current Enrollments", "The selected student's current classes")

    async def fetch(self) -> None:
        await self.remove_children()
        current = [e for e in self.student.enrollments if e.status is EnrollmentStatus.CURRENT]
        if not current:
            await self.mount(self.empty(f"{self.student_name} has no current enrollments."))
            return
        table: DataTable[Text] = DataTable(
            cursor_type="row", zebra_stripes=True, classes="enrollments"
        )
        table.add_columns("Class", "Location", "When", "Status", "Since")
        for enrollment in current:
            cells = (
                enrollment.class_name,
                enrollment.location_name,
                when(enrollment),
                _status(enrollment),
                enrollment.start_date.isoformat(),
            )
            table.add_row(*map(safe_text, cells))
        await self.mount(table)
