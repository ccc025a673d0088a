"""Students and their enrollments."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from portal_tui.wire.common import Id, LocalTime, Version, WireModel


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
    kind: EnrollmentKind
    status: EnrollmentStatus
    start_date: date
    end_date: date | None
    waitlist_position: int | None
    version: Version


class StudentOut(WireModel):
    """A student of the family with their current enrollments."""

    id: Id
    first_name: str
    last_name: str
    birth_date: date | None
    enrollments: list[EnrollmentOut]
    version: Version
