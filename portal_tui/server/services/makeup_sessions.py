"""The class sessions a student may book as a makeup, and the seats left in them.

A session is bookable as a makeup when it is still to come, not cancelled, of a class at a
level the student has been placed in (a current or past regular class of theirs) but not a
class they are enrolled in now, not already booked by them, and has an open seat: the
class's capacity minus its regular enrollments on that day minus the makeups booked into
that very session. (A transfer counts only the class's current regular enrollments, as it
takes a seat in every meeting to come: services/enrollments.py.)
"""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.errors import Conflict, Invalid
from portal_tui.server.services.localtime import local_day, local_instant
from portal_tui.server.services.locks import lock_row
from portal_tui.wire.makeups import ClassSessionOut, OpenSessionOut
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

MAX_OPTIONS = 200
"""The most sessions one list offers (the nearest first)."""

HELD = (EnrollmentStatus.CURRENT, EnrollmentStatus.PAST)
"""Statuses of an enrollment that holds (or held) its seat."""


def session_out(
    session: tables.ClassSession,
    klass: tables.SchoolClass,
    location: tables.Location,
    local: ZoneInfo,
) -> ClassSessionOut:
    starts, ends = session.starts_at.astimezone(local), session.ends_at.astimezone(local)
    return ClassSessionOut(
        id=session.id,
        class_id=klass.id,
        class_name=klass.name,
        instructor=klass.instructor,
        location_id=location.id,
        location_name=location.name,
        day=starts.date(),
        start_time=starts.time().replace(tzinfo=None),
        end_time=ends.time().replace(tzinfo=None),
    )


def _sessions() -> Select[tables.ClassSession, tables.SchoolClass, tables.Location]:
    return (
        select(tables.ClassSession, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.ClassSession.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
    )


def _placements(db: Session, student_id: int) -> tuple[set[int], set[int], set[int]]:
    """(levels the student has been placed in, classes they are in now, sessions they have
    booked as makeups)."""
    rows = db.execute(
        select(tables.Enrollment, tables.SchoolClass.level_id)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .where(tables.Enrollment.student_id == student_id)
    ).all()
    levels = {
        level
        for e, level in rows
        if level is not None and e.kind is EnrollmentKind.REGULAR and e.status in HELD
    }
    enrolled = {
        e.class_id
        for e, _ in rows
        if e.kind is not EnrollmentKind.MAKEUP and e.status is EnrollmentStatus.CURRENT
    }
    booked = {
        e.class_session_id
        for e, _ in rows
        if e.kind is EnrollmentKind.MAKEUP and e.status in HELD and e.class_session_id
    }
    return levels, enrolled, booked


def _open_seats(
    db: Session, found: list[tuple[tables.ClassSession, tables.SchoolClass, date]]
) -> list[int]:
    """Seats left in each session: capacity − regular enrollments that day − its makeups."""
    class_ids = {klass.id for _, klass, _ in found}
    regular = db.execute(
        select(
            tables.Enrollment.class_id, tables.Enrollment.start_date, tables.Enrollment.end_date
        ).where(
            tables.Enrollment.class_id.in_(class_ids),
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
        )
    ).all()
    booked = db.execute(
        select(tables.Enrollment.class_session_id, func.count())
        .where(
            tables.Enrollment.class_session_id.in_([s.id for s, _, _ in found]),
            tables.Enrollment.kind == EnrollmentKind.MAKEUP,
            tables.Enrollment.status.in_(HELD),
        )
        .group_by(tables.Enrollment.class_session_id)
    ).all()
    makeups: Counter[int | None] = Counter({session_id: n for session_id, n in booked})
    seats = []
    for session, klass, day in found:
        taken = sum(
            1
            for class_id, start, end in regular
            if class_id == klass.id and start <= day and (end is None or end >= day)
        )
        seats.append(klass.capacity - taken - makeups[session.id])
    return seats


Candidate = tuple[tables.ClassSession, tables.SchoolClass, tables.Location, int]
"""A session the student may book but for its seats, with its class, location and open seats."""


def _candidates(
    db: Session,
    *,
    student_id: int,
    first_day: date,
    last_day: date,
    location_id: int | None,
    local: ZoneInfo,
    session_id: int | None = None,
) -> list[Candidate]:
    levels, enrolled, booked = _placements(db, student_id)
    begin = local_instant(first_day, time(0), local)
    end = local_instant(last_day + timedelta(days=1), time(0), local)
    query = (
        _sessions()
        .where(
            tables.SchoolClass.level_id.in_(levels),
            tables.SchoolClass.id.not_in(enrolled),
            tables.ClassSession.id.not_in(booked),
            tables.ClassSession.cancelled.is_(False),
            tables.ClassSession.starts_at >= max(begin, clock.now()),
            tables.ClassSession.starts_at < end,
        )
        .order_by(tables.ClassSession.starts_at, tables.ClassSession.id)
    )
    if location_id is not None:
        query = query.where(tables.SchoolClass.location_id == location_id)
    if session_id is not None:
        query = query.where(tables.ClassSession.id == session_id)
    rows = db.execute(query).all()
    if not rows:
        return []
    seats = _open_seats(db, [(s, k, local_day(s.starts_at, local)) for s, k, _ in rows])
    return [(s, k, loc, n) for (s, k, loc), n in zip(rows, seats, strict=True)]


def open_sessions(
    db: Session,
    *,
    student_id: int,
    first_day: date,
    last_day: date,
    local: ZoneInfo,
    location_id: int | None = None,
) -> list[OpenSessionOut]:
    """The sessions `student_id` may book as a makeup meeting from `first_day` to `last_day`
    (local dates), at `location_id` if given, nearest first."""
    found = _candidates(
        db,
        student_id=student_id,
        first_day=first_day,
        last_day=last_day,
        location_id=location_id,
        local=local,
    )
    return [
        OpenSessionOut(**session_out(s, k, loc, local).model_dump(), open_seats=n)
        for s, k, loc, n in found
        if n > 0
    ][:MAX_OPTIONS]


def bookable(
    db: Session,
    *,
    student_id: int,
    session_id: int,
    first_day: date,
    last_day: date,
    local: ZoneInfo,
    location_id: int | None = None,
) -> tables.ClassSession:
    """The session to book as a makeup: 422 when it is not one the student may book here,
    409 when it is but no seat is left.

    The session's row is locked first (services/locks.py), so two bookings racing for the
    last seat count the seats one after the other and the later one gets 409.
    """
    lock_row(db, tables.ClassSession, session_id)
    found = _candidates(
        db,
        student_id=student_id,
        first_day=first_day,
        last_day=last_day,
        location_id=location_id,
        local=local,
        session_id=session_id,
    )
    if not found:
        raise Invalid(
            "That session cannot be booked as this makeup.",
            fields={"class_session_id": "not a session this makeup may book"},
        )
    session, _, _, seats = found[0]
    if seats <= 0:
        raise Conflict("That class is full now. Pick another session.")
    return session


def session_rows(
    db: Session, session_ids: list[int]
) -> dict[int, tuple[tables.ClassSession, tables.SchoolClass, tables.Location]]:
    """Sessions with their class and location, by session id."""
    rows = db.execute(_sessions().where(tables.ClassSession.id.in_(session_ids))).all()
    return {s.id: (s, k, loc) for s, k, loc in rows}
