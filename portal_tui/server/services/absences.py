"""A student's future absences: listing them, giving one by date and time or for one class
session, and cancelling one that has not begun.

Requests name wall-clock times in the business's time zone; rows hold UTC instants. An
absence must end after it starts, start in the future and lie within PLAN_AHEAD_DAYS, and
may not overlap another absence of the same student (409: cancel that one first). One
given with enough notice earns a makeup token (services/absence_tokens.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select

from portal_tui.server import clock, tables
from portal_tui.server.errors import Conflict, Invalid
from portal_tui.server.services import absence_tokens
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.localtime import local_day, local_instant
from portal_tui.server.services.locks import lock_row
from portal_tui.server.services.students import find_student, find_student_record
from portal_tui.wire.absences import (
    AbsenceByDate,
    AbsenceByEnrollment,
    AbsenceClass,
    AbsenceOut,
    EarnedToken,
    UpcomingSession,
)
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

PLAN_AHEAD_DAYS = 730
"""An absence is planned at most this many days ahead."""
SESSIONS_SHOWN = 26
"""Upcoming sessions listed per class for an absence by enrollment (half a year weekly)."""


# Reading


def _absences(family: FamilyAccess, *where: ColumnElement[bool]) -> list[AbsenceOut]:
    """The absences matching `where`, soonest first, each with its class and token (one
    query)."""
    rows = family.db.execute(
        select(tables.FutureAbsence, tables.SchoolClass.name, tables.MakeupToken, tables.Location)
        .outerjoin(tables.Enrollment, tables.Enrollment.id == tables.FutureAbsence.enrollment_id)
        .outerjoin(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .outerjoin(
            tables.MakeupToken, tables.MakeupToken.id == tables.FutureAbsence.makeup_token_id
        )
        .outerjoin(tables.Location, tables.Location.id == tables.MakeupToken.location_id)
        .where(*where)
        .order_by(tables.FutureAbsence.starts_at, tables.FutureAbsence.id)
    ).all()
    return [
        AbsenceOut(
            id=absence.id,
            student_id=absence.student_id,
            starts_at=absence.starts_at,
            ends_at=absence.ends_at,
            enrollment_id=absence.enrollment_id,
            class_name=class_name,
            note=absence.note,
            makeup_token=None
            if token is None or location is None
            else EarnedToken(
                id=token.id,
                location_id=location.id,
                location_name=location.name,
                status=token.status,
                expires_on=token.expires_on,
            ),
            version=absence.version,
        )
        for absence, class_name, token, location in rows
    ]


def absence_out(family: FamilyAccess, absence: tables.FutureAbsence) -> AbsenceOut:
    (out,) = _absences(family, tables.FutureAbsence.id == absence.id)
    return out


def list_absences(family: FamilyAccess, student_id: int) -> list[AbsenceOut]:
    """The student's absences that have not ended yet, soonest first."""
    student = find_student(family, student_id)
    return _absences(
        family,
        tables.FutureAbsence.student_id == student.id,
        tables.FutureAbsence.ends_at > clock.now(),
    )


def _current_classes(
    family: FamilyAccess, student: tables.Student
) -> list[tuple[tables.Enrollment, tables.SchoolClass, tables.Location]]:
    rows = family.db.execute(
        select(tables.Enrollment, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(
            tables.Enrollment.student_id == student.id,
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
        )
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.Enrollment.id)
    ).all()
    return [(e, k, loc) for e, k, loc in rows]


def upcoming_sessions(
    family: FamilyAccess, enrollment: tables.Enrollment, *, limit: int | None = SESSIONS_SHOWN
) -> list[UpcomingSession]:
    """The enrollment's class sessions not cancelled and not yet begun, within its dates
    (the first `limit`; None: all)."""
    local = family.zone
    rows = family.db.scalars(
        select(tables.ClassSession)
        .where(
            tables.ClassSession.class_id == enrollment.class_id,
            tables.ClassSession.cancelled.is_(False),
            tables.ClassSession.starts_at > clock.now(),
        )
        .order_by(tables.ClassSession.starts_at)
    )
    sessions: list[UpcomingSession] = []
    for session in rows:
        day = local_day(session.starts_at, local)
        if day < enrollment.start_date:
            continue
        if enrollment.end_date is not None and day > enrollment.end_date:
            break
        sessions.append(
            UpcomingSession(
                id=session.id, day=day, starts_at=session.starts_at, ends_at=session.ends_at
            )
        )
        if len(sessions) == limit:
            break
    return sessions


def absence_classes(family: FamilyAccess, student_id: int) -> list[AbsenceClass]:
    """The student's current classes, each with the upcoming dates an absence may name."""
    student = find_student(family, student_id)
    return [
        AbsenceClass(
            enrollment_id=enrollment.id,
            class_name=klass.name,
            location_name=location.name,
            sessions=upcoming_sessions(family, enrollment),
        )
        for enrollment, klass, location in _current_classes(family, student)
    ]


# Giving an absence


def _check_span(body: AbsenceByDate, local: ZoneInfo) -> tuple[datetime, datetime]:
    """The absence's UTC span, once it is in the future, ends after it starts and lies
    within PLAN_AHEAD_DAYS."""
    now = clock.now()
    today = local_day(now, local)
    latest = today + timedelta(days=PLAN_AHEAD_DAYS)
    too_far = f"An absence can be planned at most {PLAN_AHEAD_DAYS} days ahead."
    for field, day in (("start_date", body.start_date), ("end_date", body.end_date)):
        if day > latest:
            raise Invalid(too_far, fields={field: f"Choose a date up to {latest.isoformat()}."})
    # The dates first, before any is turned into an instant (year 1 would overflow).
    if body.start_date < today:
        raise Invalid(
            "An absence cannot start in the past.", fields={"start_date": "Already past."}
        )
    if body.end_date < body.start_date:
        raise Invalid(
            "An absence must end after it starts.", fields={"end_date": "Must be after the start."}
        )
    starts = local_instant(body.start_date, body.start_time, local, "start_time")
    ends = local_instant(body.end_date, body.end_time, local, "end_time")
    if starts <= now:
        raise Invalid(
            "An absence cannot start in the past.", fields={"start_time": "Already past."}
        )
    if ends <= starts:
        raise Invalid(
            "An absence must end after it starts.", fields={"end_time": "Must be after the start."}
        )
    return starts, ends


def _refuse_overlap(family: FamilyAccess, absence: tables.FutureAbsence) -> None:
    """409 when the student already has an absence overlapping this one's span."""
    other = family.db.scalars(
        select(tables.FutureAbsence)
        .where(
            tables.FutureAbsence.student_id == absence.student_id,
            tables.FutureAbsence.starts_at < absence.ends_at,
            tables.FutureAbsence.ends_at > absence.starts_at,
        )
        .order_by(tables.FutureAbsence.starts_at)
        .limit(1)
    ).first()
    if other is not None:
        raise Conflict(
            "This overlaps an absence already given for this student; cancel that one first, "
            "or choose a time outside it.",
            current=absence_out(family, other),
        )


def _save(
    family: FamilyAccess,
    absence: tables.FutureAbsence,
    first: absence_tokens.CoveredSession | None,
    how: str,
) -> AbsenceOut:
    # The student's row is locked first, so two absences given at once are checked (for an
    # overlap, and for a token already earned) one after the other.
    lock_row(family.db, tables.Student, absence.student_id)
    _refuse_overlap(family, absence)
    family.db.add(absence)
    family.db.flush()
    token = absence_tokens.earn(family, absence, first)
    records = {"student": absence.student_id, "absence": absence.id}
    if token is not None:
        records["makeup_token"] = token.id
    family.audit("absence.add", records, {"by": how})
    return absence_out(family, absence)


def add_by_date(family: FamilyAccess, student_id: int, body: AbsenceByDate) -> AbsenceOut:
    """An absence from one local date and time to another."""
    student = find_student(family, student_id)
    local = family.zone
    starts, ends = _check_span(body, local)
    absence = tables.FutureAbsence(
        student_id=student.id,
        starts_at=starts,
        ends_at=ends,
        note=body.note,
    )
    first = absence_tokens.first_covered(family, student, starts, ends, local)
    return _save(family, absence, first, "date")


def add_by_enrollment(
    family: FamilyAccess, student_id: int, body: AbsenceByEnrollment
) -> AbsenceOut:
    """An absence from one upcoming session of one of the student's current classes."""
    student = find_student(family, student_id)
    classes = {e.id: (e, k, loc) for e, k, loc in _current_classes(family, student)}
    if body.enrollment_id not in classes:
        raise Invalid(
            "That class is not one of the student's current classes.",
            fields={"enrollment_id": f"Choose one of {student.first_name}'s current classes."},
        )
    enrollment, klass, location = classes[body.enrollment_id]
    upcoming = upcoming_sessions(family, enrollment, limit=None)
    session = next((s for s in upcoming if s.day == body.session_date), None)
    if session is None:
        raise Invalid(
            f"{klass.name} has no upcoming session on that date.",
            fields={"session_date": "Choose one of the class's upcoming dates."},
        )
    absence = tables.FutureAbsence(
        student_id=student.id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        enrollment_id=enrollment.id,
        note=body.note,
    )
    first = absence_tokens.CoveredSession(session.starts_at, session.ends_at, location.id)
    return _save(family, absence, first, "enrollment")


# Cancelling


def cancel(family: FamilyAccess, record_id: int, version: int) -> None:
    """Cancel an absence that has not begun; the makeup token it earned is withdrawn
    (refused with 409 once that token is applied to a makeup or spent)."""
    absence = find_student_record(family, tables.FutureAbsence, record_id, "absence")
    current = absence_out(family, absence)
    require_version(absence, version, lambda: current, "absence")
    if absence.starts_at <= clock.now():
        raise Conflict(
            "This absence has already begun, so it can no longer be cancelled.", current=current
        )
    token = absence_tokens.withdrawable(family, absence, current)
    records = {"student": absence.student_id, "absence": absence.id}
    family.db.delete(absence)
    family.db.flush()
    if token is not None:
        records["makeup_token"] = token.id
        family.db.delete(token)
        family.db.flush()
    family.audit("absence.cancel", records, {"token": "withdrawn"} if token else None)
