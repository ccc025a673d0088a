"""The forms that give a future absence: "Create Future Absence By Date" (a start and an end,
local to the business) and "Create Future Absence By Enrollment" (one class on one of its
upcoming dates). Each returns the absence as saved, with the makeup token it earned."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from portal_tui.api.students import StudentApi
from portal_tui.screens.absence_labels import session_label, typed_time
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.dates import date_input, typed_date
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.safe import PlainInput, safe_text
from portal_tui.wire.absences import (
    NOTE_MAX,
    AbsenceByDate,
    AbsenceByEnrollment,
    AbsenceClass,
    AbsenceOut,
)


def _note() -> PlainInput:
    return PlainInput(placeholder="optional", compact=True, max_length=NOTE_MAX)


class AbsenceForm(FormScreen[Any, AbsenceOut]):
    """What both absence forms share: the student, their endpoints and the time zone."""

    CSS_PATH = "absence_forms.tcss"

    def __init__(self, title: str, api: StudentApi, student_name: str, zone: ZoneInfo) -> None:
        self.api = api
        self.student_name = student_name
        self.zone = zone
        super().__init__(title)

    def intro(self, text: str) -> Static:
        return Static(safe_text(text), classes="form-intro")

    def text(self, name: str) -> str:
        control = self.fields()[name].control
        assert isinstance(control, Input)
        return control.value

    async def save(self, request: Any) -> AbsenceOut:
        return await self.api.add_absence(request)


class AbsenceByDateForm(AbsenceForm):
    """A start and an end date and time (hours or days apart), in the business's time zone."""

    def __init__(self, api: StudentApi, student_name: str, zone: ZoneInfo) -> None:
        super().__init__("Create Future Absence By Date", api, student_name, zone)

    def compose_fields(self) -> ComposeResult:
        yield self.intro(f"For {self.student_name}. Times are {self.zone.key} time.")
        with Horizontal(classes="pair"):
            yield FormField("Start date", date_input(), name="start_date")
            yield FormField(
                "Start time", line_input(placeholder="HH:MM", check=typed_time), name="start_time"
            )
        with Horizontal(classes="pair"):
            yield FormField("End date", date_input(), name="end_date")
            yield FormField(
                "End time", line_input(placeholder="HH:MM", check=typed_time), name="end_time"
            )
        yield FormField("Note", _note(), name="note")

    def build_request(self) -> AbsenceByDate:
        return AbsenceByDate(
            start_date=typed_date(self.text("start_date")),
            start_time=typed_time(self.text("start_time")),
            end_date=typed_date(self.text("end_date")),
            end_time=typed_time(self.text("end_time")),
            note=self.text("note"),
        )


class AbsenceByEnrollmentForm(AbsenceForm):
    """One of the student's current classes and one of its upcoming dates."""

    def __init__(
        self, api: StudentApi, student_name: str, zone: ZoneInfo, classes: list[AbsenceClass]
    ) -> None:
        self.current_classes = {c.enrollment_id: c for c in classes}
        super().__init__("Create Future Absence By Enrollment", api, student_name, zone)

    def compose_fields(self) -> ComposeResult:
        yield self.intro(f"For {self.student_name}: one class on one date.")
        choices = [
            (safe_text(f"{c.class_name} ({c.location_name})"), c.enrollment_id)
            for c in self.current_classes.values()
        ]
        first = next(iter(self.current_classes))
        yield FormField(
            "Class",
            Choice(choices, value=first, allow_blank=False, compact=True, id="absence-class"),
            name="enrollment_id",
        )
        yield FormField(
            "Date",
            Choice(self._dates(first), compact=True, prompt="Choose a date", id="absence-date"),
            name="session_date",
        )
        yield FormField("Note", _note(), name="note")

    def _dates(self, enrollment_id: int) -> list[tuple[str, str]]:
        sessions = self.current_classes[enrollment_id].sessions
        return [(session_label(s, self.zone), s.day.isoformat()) for s in sessions]

    @on(Choice.Changed, "#absence-class")
    def _class_chosen(self, event: Choice.Changed) -> None:
        if isinstance(event.value, int):
            self.query_one("#absence-date", Choice).set_options(self._dates(event.value))

    def build_request(self) -> AbsenceByEnrollment:
        chosen = self.query_one("#absence-class", Choice).value
        day = self.query_one("#absence-date", Choice).value
        values: dict[str, Any] = {"enrollment_id": chosen, "note": self.text("note")}
        if isinstance(day, str):  # none chosen: the model says it is required
            values["session_date"] = typed_date(day)
        return AbsenceByEnrollment.model_validate(values)
