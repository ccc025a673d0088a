"""The family's students and their enrollments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.wire.students import EnrollmentOut, StudentOut


def _enrollment_out(
    enrollment: tables.Enrollment, klass: tables.SchoolClass, location: tables.Location
) -> EnrollmentOut:
    return EnrollmentOut(
        id=enrollment.id,
        class_id=klass.id,
        class_name=klass.name,
        location_id=location.id,
        location_name=location.name,
        weekday=klass.weekday,
        start_time=klass.start_time,
        end_time=klass.end_time,
        kind=enrollment.kind,
        status=enrollment.status,
        start_date=enrollment.start_date,
        end_date=enrollment.end_date,
        waitlist_position=enrollment.waitlist_position,
        version=enrollment.version,
    )


def list_students(*, db: Session, family_id: int) -> list[StudentOut]:
    """Every student of the family, each with their current enrollments (waitlist included)."""
    students = list(
        db.scalars(
            select(tables.Student)
            .where(tables.Student.family_id == family_id)
            .order_by(tables.Student.first_name, tables.Student.id)
        )
    )
    rows = db.execute(
        select(tables.Enrollment, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(
            tables.Enrollment.student_id.in_([s.id for s in students]),
            tables.Enrollment.status == "current",
        )
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.Enrollment.id)
    ).all()
    by_student: dict[int, list[EnrollmentOut]] = {s.id: [] for s in students}
    for enrollment, klass, location in rows:
        by_student[enrollment.student_id].append(_enrollment_out(enrollment, klass, location))
    return [
        StudentOut(
            id=s.id,
            first_name=s.first_name,
            last_name=s.last_name,
            birth_date=s.birth_date,
            enrollments=by_student[s.id],
            version=s.version,
        )
        for s in students
    ]
