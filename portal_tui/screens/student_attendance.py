"""Attendance (S4): for each current enrollment the student's held sessions and whether they
came, with counts; past enrollments' attendance on "Show/Hide Past Enrollments"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich import box
from rich.table import Table
from textual import on
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Static

from portal_tui.screens.class_times import class_when, day_label
from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.safe import plain, safe
from portal_tui.wire.family import Capabilities
from portal_tui.wire.progress import EnrollmentAttendance
from portal_tui.wire.students import AttendanceStatus, EnrollmentKind, EnrollmentStatus

STATUS_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.ABSENT: "Absent",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: "Excused",
    AttendanceStatus.MAKEUP: "Makeup",
}


def heading(item: EnrollmentAttendance) -> str:
    """The class, where and when, and what kind of enrollment it was."""
    enrollment = item.enrollment
    when = class_when(enrollment.weekday, enrollment.start_time, enrollment.end_time)
    parts = [enrollment.class_name, enrollment.location_name, when]
    if enrollment.kind is EnrollmentKind.MAKEUP:
        parts.append("Makeup")
    if enrollment.status is EnrollmentStatus.DROPPED:
        parts.append("Dropped")
    elif item.past:
        ended = enrollment.end_date
        parts.append(f"Past, ended {ended.isoformat()}" if ended else "Past")
    return " · ".join(parts)


def counts(item: EnrollmentAttendance) -> str:
    """E.g. "5 sessions: 3 present, 1 absent, 1 excused"."""
    total = len(item.sessions)
    if not total:
        return "No attendance recorded yet."
    found = item.counts.model_dump()
    parts = [f"{found[s.value]} {s.value}" for s in AttendanceStatus if found[s.value]]
    return f"{total} session{'' if total == 1 else 's'}: " + ", ".join(parts)


def sessions_table(item: EnrollmentAttendance, zone: ZoneInfo) -> Table:
    """Each held session on its date in the business's time zone, newest first."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Attendance", no_wrap=True)
    for session in item.sessions:
        local = session.starts_at.astimezone(zone)
        table.add_row(
            day_label(local.date()),
            local.strftime("%H:%M"),
            STATUS_LABELS[session.status],
        )
    return table


class AttendanceSection(StudentSection):
    """Attendance per enrollment: current ones, and past ones when asked for."""

    SECTION_ID = "attendance"
    TITLE = "Attendance"
    DESCRIPTION = "The selected student's attendance, class by class"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("p", "toggle_past", "Past Enrollments", id="attendance-past"),
    ]

    show_past: reactive[bool] = reactive(False, init=False)
    """Past enrollments' attendance is shown."""

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return capabilities.attendance

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield from super().commands(capabilities)
        yield SectionCommand(
            "Show/Hide Past Attendance", "Attendance of past enrollments too", "toggle_past"
        )

    async def fetch(self) -> None:
        attendance = await self.api.attendance()
        await self.remove_children()
        name = plain(self.student.first_name)
        if not attendance.enrollments:
            await self.mount(
                self.empty(
                    f"No attendance yet — it appears once {name} is enrolled in a class "
                    "and the class has met."
                )
            )
            return
        zone = self.zone
        current = [i for i in attendance.enrollments if not i.past]
        past = [i for i in attendance.enrollments if i.past]
        widgets: list[Widget] = [Button(self._toggle_label(), id="toggle-past", compact=True)]
        if not current:
            widgets.append(
                self.empty(f"{name} has no current enrollments. Press p to see past ones.")
            )
        widgets += [w for item in current for w in self._enrollment(item, zone)]
        widgets.append(Static("Past Enrollments", classes="past past-heading"))
        if not past:
            widgets.append(self.empty("No past enrollments.").add_class("past"))
        widgets += [w.add_class("past") for item in past for w in self._enrollment(item, zone)]
        for widget in widgets:
            widget.display = self.show_past or not widget.has_class("past")
        await self.mount_all(widgets)

    @staticmethod
    def _enrollment(item: EnrollmentAttendance, zone: ZoneInfo) -> Iterator[Widget]:
        yield Static(safe(heading(item)), classes="class-heading")
        yield Static(counts(item), classes="counts", markup=False)
        if item.sessions:
            yield Static(sessions_table(item, zone), classes="sessions")

    def _toggle_label(self) -> str:
        return "Hide Past Enrollments" if self.show_past else "Show Past Enrollments"

    def watch_show_past(self, show: bool) -> None:
        for widget in self.query_children(".past"):
            widget.display = show
        for button in self.query_children("#toggle-past").results(Button):
            button.label = self._toggle_label()

    def action_toggle_past(self) -> None:
        """Show or hide past enrollments' attendance ("Show/Hide Past Enrollments")."""
        self.show_past = not self.show_past

    @on(Button.Pressed, "#toggle-past")
    def _toggle_pressed(self) -> None:
        self.action_toggle_past()
