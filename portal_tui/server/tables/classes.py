"""Classes, sessions, enrollments, evaluations, attendance, makeups, absences and passes."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Index, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from portal_tui.server.coltypes import UTCDateTime
from portal_tui.server.tables.base import Base, Created, Versioned, enum_type
from portal_tui.wire.students import (
    AttendanceStatus,
    EnrollmentKind,
    EnrollmentStatus,
    EvaluationStatus,
    MakeupTokenStatus,
)


class Level(Base):
    __tablename__ = "levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("levels.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))


class SchoolClass(Versioned, Base):
    """A weekly class at a location; times are local to the business's time zone."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("levels.id"))
    name: Mapped[str] = mapped_column(String(120))
    instructor: Mapped[str] = mapped_column(String(120), default="")
    capacity: Mapped[int] = mapped_column(default=8)
    weekday: Mapped[int] = mapped_column()  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    tuition_cents: Mapped[int] = mapped_column(default=0)


class ClassSession(Base):
    """One meeting of a class, as UTC instants."""

    __tablename__ = "class_sessions"
    __table_args__ = (Index("ix_class_sessions_class_start", "class_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(default=False)


class Enrollment(Versioned, Created, Base):
    """A student in a class: kind regular/waitlist/makeup, status current/past/dropped/cancelled.

    A makeup enrollment names the one session it is for, and the token it spent.
    """

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    kind: Mapped[EnrollmentKind] = mapped_column(
        enum_type(EnrollmentKind, name="kind_known", length=10), default=EnrollmentKind.REGULAR
    )
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_type(EnrollmentStatus, name="status_known", length=10),
        default=EnrollmentStatus.CURRENT,
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    waitlist_position: Mapped[int | None] = mapped_column()
    class_session_id: Mapped[int | None] = mapped_column(ForeignKey("class_sessions.id"))
    makeup_token_id: Mapped[int | None] = mapped_column(ForeignKey("makeup_tokens.id"))


class Evaluation(Created, Base):
    """A skill evaluated for a student; status passed / in progress / not yet."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    status: Mapped[EvaluationStatus] = mapped_column(
        enum_type(EvaluationStatus, name="status_known", length=20)
    )
    evaluated_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(String(500), default="")


class Attendance(Base):
    """Whether a student came to one class session: present/absent/late/excused/makeup."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    class_session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, name="status_known", length=10)
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MakeupToken(Versioned, Base):
    """A makeup token for a location: available, pending (applied, not yet held), spent, expired."""

    __tablename__ = "makeup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[MakeupTokenStatus] = mapped_column(
        enum_type(MakeupTokenStatus, name="status_known", length=10),
        default=MakeupTokenStatus.AVAILABLE,
    )
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class FutureAbsence(Versioned, Created, Base):
    """A planned absence: a span of time, or one enrollment's class on one date."""

    __tablename__ = "future_absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    makeup_token_id: Mapped[int | None] = mapped_column(ForeignKey("makeup_tokens.id"))
    """The makeup token the absence earned, if it was given with enough notice."""


class PunchPass(Versioned, Base):
    __tablename__ = "punch_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    punches_total: Mapped[int] = mapped_column()
    purchased_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    amount_paid_cents: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)


class Punch(Base):
    __tablename__ = "punches"

    id: Mapped[int] = mapped_column(primary_key=True)
    punch_pass_id: Mapped[int] = mapped_column(ForeignKey("punch_passes.id"), index=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime)
    class_session_id: Mapped[int | None] = mapped_column(ForeignKey("class_sessions.id"))
