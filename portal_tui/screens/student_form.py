"""The form that adds a student or changes one ("Add Student", "Edit Student")."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from portal_tui.api.family import FamilyApi
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.safe import PlainInput, safe
from portal_tui.wire.students import STUDENTS, Gender, StudentFields, StudentOut, StudentUpdate

GENDERS: list[tuple[str, Gender | None]] = [
    ("Not given", None),
    ("Female", Gender.FEMALE),
    ("Male", Gender.MALE),
    ("Non-binary", Gender.NONBINARY),
]
NOT_GIVEN = "-"
"""The Select value for "Not given" (a Select cannot hold None)."""


def birth_date(value: str) -> date | None:
    """A birth date typed as YYYY-MM-DD, or None when left empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("Use the form YYYY-MM-DD, e.g. 2018-04-23.") from None


class StudentForm(FormScreen[StudentFields, StudentOut]):
    """Add a student (no record) or change one; the server checks every field again."""

    CSS_PATH = "student_form.tcss"

    def __init__(self, api: FamilyApi, student: StudentOut | None = None) -> None:
        self.api = api
        self.student = student
        self.version = student.version if student else None
        """The version this edit replaces; a conflict moves it to the current one."""
        title = f"Edit Student: {student.full_name}" if student else ""
        super().__init__(title or "Add Student")

    def compose_fields(self) -> ComposeResult:
        s = self.student
        yield Static("", markup=False, id="form-current", classes="hidden")
        yield FormField("First name", line_input(s.first_name if s else ""), name="first_name")
        yield FormField("Last name", line_input(s.last_name if s else ""), name="last_name")
        born = s.birth_date.isoformat() if s and s.birth_date else ""
        yield FormField(
            "Birth date (YYYY-MM-DD)",
            line_input(born, placeholder="2018-04-23", check=birth_date),
            name="birth_date",
        )
        choices = [(label, value.value if value else NOT_GIVEN) for label, value in GENDERS]
        gender = s.gender.value if s and s.gender else NOT_GIVEN
        yield FormField(
            "Gender", Choice(choices, value=gender, allow_blank=False, compact=True), name="gender"
        )
        notes = TextArea(s.medical_notes if s else "", compact=True, id="medical-notes")
        yield FormField("Medical notes (allergies, conditions)", notes, name="medical_notes")

    def _values(self) -> dict[str, Any]:
        controls = {name: field.control for name, field in self.fields().items()}
        text = {
            name: control.value
            for name, control in controls.items()
            if isinstance(control, PlainInput)
        }
        gender = controls["gender"]
        notes = controls["medical_notes"]
        assert isinstance(gender, Choice) and isinstance(notes, TextArea)
        return {
            "first_name": text["first_name"],
            "last_name": text["last_name"],
            "birth_date": birth_date(text["birth_date"]),
            "gender": None if gender.value == NOT_GIVEN else gender.value,
            "medical_notes": notes.text,
        }

    def build_request(self) -> StudentFields:
        values = self._values()
        if self.student is None:
            return StudentFields.model_validate(values)
        return StudentUpdate.model_validate({**values, "version": self.version})

    async def save(self, request: StudentFields) -> StudentOut:
        if self.student is None:
            return await self.api.create(STUDENTS, request)
        return await self.api.update(STUDENTS, self.student.id, request)

    def show_current(self, current: Any) -> None:
        if not isinstance(current, StudentOut):
            return
        self.version = current.version
        born = f", born {current.birth_date.isoformat()}" if current.birth_date else ""
        line = self.query_one("#form-current", Static)
        line.update(safe(f"Saved meanwhile: {current.full_name}{born}"))
        line.remove_class("hidden")
        line.scroll_visible()
