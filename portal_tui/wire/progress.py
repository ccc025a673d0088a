"""A student's progress: evaluated skills per level, and attendance per enrollment."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, Field, NonNegativeInt

from portal_tui.wire.common import Id, WireModel
from portal_tui.wire.students import AttendanceStatus, EnrollmentOut


class SkillStatus(StrEnum):
    """Where a student stands on one skill, by its latest evaluation (never evaluated: not
    started)."""

    PASSED = "passed"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"


class SkillOut(WireModel):
    """One skill of a level, as its latest evaluation left it."""

    skill_id: Id
    name: str
    status: SkillStatus
    evaluated_on: date | None = Field(description="The latest evaluation's date; null: never.")
    comment: str = Field(description="The evaluator's comment on the latest evaluation.")


class LevelProgress(WireModel):
    """Every skill of one level, with how many are passed, in progress and not started."""

    level_id: Id
    level_name: str
    skills: list[SkillOut]
    passed: NonNegativeInt
    in_progress: NonNegativeInt
    not_started: NonNegativeInt


class StudentEvaluations(WireModel):
    """The student's "Evaluated Skills": each level they were evaluated in or have a current
    class in, in the levels' order."""

    student_id: Id
    levels: list[LevelProgress]


class SessionAttendance(WireModel):
    """Whether the student came to one held class session."""

    class_session_id: Id
    starts_at: AwareDatetime = Field(description="The session's start, a UTC instant.")
    status: AttendanceStatus


class AttendanceCounts(WireModel):
    """How many of an enrollment's sessions had each attendance status."""

    present: NonNegativeInt
    absent: NonNegativeInt
    late: NonNegativeInt
    excused: NonNegativeInt
    makeup: NonNegativeInt


class EnrollmentAttendance(WireModel):
    """One enrollment's attendance, newest session first."""

    enrollment: EnrollmentOut
    past: bool = Field(description="The enrollment is no longer current (past or dropped).")
    sessions: list[SessionAttendance]
    counts: AttendanceCounts


class StudentAttendance(WireModel):
    """Attendance of each class enrollment (waitlist places have none): current ones first,
    then past ones, flagged."""

    student_id: Id
    enrollments: list[EnrollmentAttendance]
