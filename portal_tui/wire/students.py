"""Students and their enrollments."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from portal_tui.wire.common import (
    Id,
    LocalDate,
    LocalTime,
    NoteText,
    PlainText,
    RequestModel,
    Resource,
    Version,
    WireModel,
)


class Gender(StrEnum):
    """A student's gender, as the family gives it (or not at all)."""

    FEMALE = "female"
    MALE = "male"
    NONBINARY = "nonbinary"


class EnrollmentKind(StrEnum):
    REGULAR = "regular"
    WAITLIST = "waitlist"
    MAKEUP = "makeup"


class EnrollmentStatus(StrEnum):
    CURRENT = "current"
    PAST = "past"
    DROPPED = "dropped"
    CANCELLED = "cancelled"


class EvaluationStatus(StrEnum):
    """How far a student is with one skill."""

    PASSED = "passed"
    IN_PROGRESS = "in progress"
    NOT_YET = "not yet"


class AttendanceStatus(StrEnum):
    """Whether a student came to one class session."""

    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"
    EXCUSED = "excused"
    MAKEUP = "makeup"


class MakeupTokenStatus(StrEnum):
    """A makeup token: available, pending (applied to a makeup not yet held), spent, expired."""

    AVAILABLE = "available"
    PENDING = "pending"
    SPENT = "spent"
    EXPIRED = "expired"


class EnrollmentOut(WireModel):
    id: Id
    class_id: Id
    class_name: str
    location_id: Id
    location_name: str
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start_time: LocalTime
    end_time: LocalTime
    instructor: str
    kind: EnrollmentKind
    status: EnrollmentStatus
    start_date: date
    end_date: date | None
    waitlist_position: int | None
    version: Version


class StudentOut(WireModel):
    """A student of the family with their enrollments: current, waitlist and past."""

    id: Id
    first_name: str
    last_name: str
    birth_date: date | None
    gender: Gender | None
    medical_notes: str
    enrollments: list[EnrollmentOut]
    version: Version

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StudentFields(RequestModel):
    """A new student ("Add Student")."""

    first_name: PlainText = Field(min_length=1, max_length=80)
    last_name: PlainText = Field(min_length=1, max_length=80)
    birth_date: LocalDate | None = None
    gender: Gender | None = None
    medical_notes: NoteText = Field(
        "", max_length=1000, description="Allergies, conditions, what staff should know"
    )


class StudentUpdate(StudentFields):
    """A changed student ("Edit Student"), naming the version edited."""

    version: Version


STUDENTS = Resource("students", "Student", StudentFields, StudentUpdate, StudentOut)
