"""Changing a student's enrollments: cancel a waitlist place, drop a class, transfer it.

Rules, each enforced here whatever the client shows:
- Only a current waitlist place can be cancelled; the places behind it move up one.
- Only a current regular enrollment can be dropped or transferred (not a waitlist place, a
  makeup, or one that has ended).
- A transfer goes into a class of the same level as the one left, that has not ended, is not
  that class, that the student is not already in (enrolled or waitlisted), and that has an
  open seat: its capacity minus its current regular enrollments. Any location will do.
  (A transfer takes a seat in every meeting to come, so makeups, which hold a seat in one
  meeting only, are not counted; booking a makeup counts both: services/makeup_sessions.py.)
- A transfer ends the old enrollment today (status past) and starts a current regular one in
  the new class today (or when the class starts), in the request's one transaction.

A refusal by these rules is 422 naming what is wrong; a stale version is 409 with the current
enrollment. Each write leaves one audit row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal_tui.server import tables
from portal_tui.server.errors import Invalid
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.localtime import business_today
from portal_tui.server.services.locks import lock_row
from portal_tui.server.services.students import (
    enrollment_out,
    find_student_record,
)
from portal_tui.wire.enrollments import EnrollmentChange, TransferOption, TransferRequest
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, EnrollmentStatus

NOUN = "enrollment"


def _out(family: FamilyAccess, enrollment: tables.Enrollment) -> EnrollmentOut:
    klass = family.db.get(tables.SchoolClass, enrollment.class_id)
    assert klass is not None
    location = family.db.get(tables.Location, klass.location_id)
    assert location is not None
    return enrollment_out(enrollment, klass, location)


def _found(family: FamilyAccess, record_id: int, version: int) -> tables.Enrollment:
    """The family's enrollment as the caller saw it (404 for another family's, 409 if stale)."""
    enrollment = find_student_record(family, tables.Enrollment, record_id, NOUN)
    require_version(enrollment, version, lambda: _out(family, enrollment), NOUN)
    return enrollment


def _require_current_regular(enrollment: tables.Enrollment, doing: str) -> None:
    """Only a current regular enrollment may be dropped or transferred."""
    if enrollment.status is not EnrollmentStatus.CURRENT:
        raise Invalid(f"This enrollment has ended; only a current class can be {doing}.")
    if enrollment.kind is EnrollmentKind.WAITLIST:
        raise Invalid(f"This is a waitlist place; cancel it instead. It cannot be {doing}.")
    if enrollment.kind is not EnrollmentKind.REGULAR:
        raise Invalid(f"A makeup is for one class meeting; it cannot be {doing}.")


def _end(enrollment: tables.Enrollment, status: EnrollmentStatus, today: date) -> None:
    enrollment.status = status
    enrollment.end_date = max(today, enrollment.start_date)


# Cancel Waitlist


def cancel_waitlist(family: FamilyAccess, record_id: int, body: EnrollmentChange) -> EnrollmentOut:
    """Cancel a current waitlist place; everyone behind it on that class's list moves up."""
    enrollment = _found(family, record_id, body.version)
    if (
        enrollment.kind is not EnrollmentKind.WAITLIST
        or enrollment.status is not EnrollmentStatus.CURRENT
    ):
        raise Invalid("This enrollment is not on a waitlist, so there is no place to cancel.")
    position = enrollment.waitlist_position
    _end(enrollment, EnrollmentStatus.CANCELLED, business_today(family.zone))
    enrollment.waitlist_position = None
    behind = 0
    if position is not None:
        behind_rows = family.db.scalars(
            select(tables.Enrollment)
            .where(
                tables.Enrollment.class_id == enrollment.class_id,
                tables.Enrollment.kind == EnrollmentKind.WAITLIST,
                tables.Enrollment.status == EnrollmentStatus.CURRENT,
                tables.Enrollment.waitlist_position > position,
            )
            .order_by(tables.Enrollment.waitlist_position)
        ).all()
        for row in behind_rows:
            assert row.waitlist_position is not None  # chosen for a position behind
            row.waitlist_position -= 1
        behind = len(behind_rows)
    family.db.flush()
    family.audit(
        "enrollment.cancel_waitlist",
        {"enrollment": enrollment.id, "student": enrollment.student_id},
        {"class": enrollment.class_id, "position": position, "moved_up": behind},
    )
    return _out(family, enrollment)


# Drop Enrollments


def drop(family: FamilyAccess, record_id: int, body: EnrollmentChange) -> EnrollmentOut:
    """Drop a current regular enrollment: it ends today with status dropped."""
    enrollment = _found(family, record_id, body.version)
    _require_current_regular(enrollment, "dropped")
    _end(enrollment, EnrollmentStatus.DROPPED, business_today(family.zone))
    family.db.flush()
    family.audit(
        "enrollment.drop",
        {"enrollment": enrollment.id, "student": enrollment.student_id},
        {"class": enrollment.class_id},
    )
    return _out(family, enrollment)


# Transfer Enrollments


def _taken_seats(family: FamilyAccess, class_ids: list[int]) -> dict[int, int]:
    """Current regular enrollments of each class (waitlist places and makeups take no seat)."""
    rows = family.db.execute(
        select(tables.Enrollment.class_id, func.count())
        .where(
            tables.Enrollment.class_id.in_(class_ids),
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
        )
        .group_by(tables.Enrollment.class_id)
    ).all()
    return {class_id: count for class_id, count in rows}


def _classes_of_student(family: FamilyAccess, student_id: int) -> set[int]:
    """Classes the student is in now: enrolled or on the waitlist."""
    return set(
        family.db.scalars(
            select(tables.Enrollment.class_id).where(
                tables.Enrollment.student_id == student_id,
                tables.Enrollment.status == EnrollmentStatus.CURRENT,
                tables.Enrollment.kind.in_([EnrollmentKind.REGULAR, EnrollmentKind.WAITLIST]),
            )
        )
    )


def _refusal(
    target: tables.SchoolClass,
    leaving: tables.SchoolClass,
    already_in: set[int],
    taken: int,
    today: date,
) -> str | None:
    """Why the student may not move from `leaving` into `target` (None: they may)."""
    if target.id == leaving.id:
        return "That is the class the student is leaving; pick another one."
    if target.level_id != leaving.level_id:
        return "That class is not at the same level as the one the student is leaving."
    if target.ends_on is not None and target.ends_on < today:
        return "That class has ended."
    if target.id in already_in:
        return "The student is already in that class (enrolled or on its waitlist)."
    if target.capacity - taken < 1:
        return "That class is full now; pick another one."
    return None


def _leaving(family: FamilyAccess, enrollment: tables.Enrollment) -> tables.SchoolClass:
    klass = family.db.get(tables.SchoolClass, enrollment.class_id)
    assert klass is not None
    return klass


def transfer_options(family: FamilyAccess, record_id: int) -> list[TransferOption]:
    """The classes a current regular enrollment may move into, with their open seats."""
    enrollment = find_student_record(family, tables.Enrollment, record_id, NOUN)
    _require_current_regular(enrollment, "transferred")
    leaving = _leaving(family, enrollment)
    today = business_today(family.zone)
    same_level = (
        tables.SchoolClass.level_id.is_(None)
        if leaving.level_id is None
        else tables.SchoolClass.level_id == leaving.level_id
    )
    rows = family.db.execute(
        select(tables.SchoolClass, tables.Location)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(same_level)
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.SchoolClass.id)
    ).all()
    taken = _taken_seats(family, [klass.id for klass, _ in rows])
    already_in = _classes_of_student(family, enrollment.student_id)
    return [
        TransferOption(
            class_id=klass.id,
            class_name=klass.name,
            location_name=location.name,
            weekday=klass.weekday,
            start_time=klass.start_time,
            end_time=klass.end_time,
            instructor=klass.instructor,
            open_seats=klass.capacity - taken.get(klass.id, 0),
        )
        for klass, location in rows
        if _refusal(klass, leaving, already_in, taken.get(klass.id, 0), today) is None
    ]


def transfer(family: FamilyAccess, record_id: int, body: TransferRequest) -> EnrollmentOut:
    """Move a current regular enrollment into another class; returns the new enrollment."""
    enrollment = _found(family, record_id, body.version)
    _require_current_regular(enrollment, "transferred")
    leaving = _leaving(family, enrollment)
    # Lock the class moved into before counting, so two transfers cannot take its last seat.
    lock_row(family.db, tables.SchoolClass, body.class_id)
    target = family.db.get(tables.SchoolClass, body.class_id)
    if target is None:
        raise Invalid("No such class.", fields={"class_id": "There is no such class."})
    today = business_today(family.zone)
    taken = _taken_seats(family, [target.id]).get(target.id, 0)
    already_in = _classes_of_student(family, enrollment.student_id)
    refusal = _refusal(target, leaving, already_in, taken, today)
    if refusal is not None:
        raise Invalid(refusal, fields={"class_id": refusal})
    _end(enrollment, EnrollmentStatus.PAST, today)
    moved = tables.Enrollment(
        student_id=enrollment.student_id,
        class_id=target.id,
        kind=EnrollmentKind.REGULAR,
        status=EnrollmentStatus.CURRENT,
        start_date=max(today, target.starts_on),
        end_date=None,
    )
    family.db.add(moved)
    family.db.flush()
    family.audit(
        "enrollment.transfer",
        {"enrollment": enrollment.id, "new_enrollment": moved.id, "student": moved.student_id},
        {"from_class": leaving.id, "to_class": target.id},
    )
    return _out(family, moved)
