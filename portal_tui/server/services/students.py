"""The family's students: listing them with their enrollments, adding and changing them, and
finding a student's records for every other student service."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Invalid, NotFound
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.checkin import new_checkin_code
from portal_tui.server.services.localtime import business_today
from portal_tui.wire.students import EnrollmentOut, StudentFields, StudentOut, StudentUpdate

StudentRecord = TypeVar(
    "StudentRecord",
    tables.Enrollment,
    tables.MakeupToken,
    tables.FutureAbsence,
    tables.PunchPass,
)


def find_student(family: FamilyAccess, student_id: int) -> tables.Student:
    """The family's student, or 404 (another family's id reveals nothing)."""
    student = family.db.get(tables.Student, student_id)
    if student is None or student.family_id != family.id:
        raise NotFound("No such student.")
    return student


def find_student_record(
    family: FamilyAccess, table: type[StudentRecord], record_id: int, noun: str
) -> StudentRecord:
    """A record of one of the family's students, or 404 naming `noun` ("enrollment")."""
    row = family.db.scalar(
        select(table)
        .join(tables.Student, tables.Student.id == table.student_id)
        .where(table.id == record_id, tables.Student.family_id == family.id)
    )
    if row is None:
        raise NotFound(f"No such {noun}.")
    return row


def enrollment_out(
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
        instructor=klass.instructor,
        kind=enrollment.kind,
        status=enrollment.status,
        start_date=enrollment.start_date,
        end_date=enrollment.end_date,
        waitlist_position=enrollment.waitlist_position,
        version=enrollment.version,
    )


def _enrollments(db: Session, student_ids: list[int]) -> dict[int, list[EnrollmentOut]]:
    rows = db.execute(
        select(tables.Enrollment, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(tables.Enrollment.student_id.in_(student_ids))
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.Enrollment.id)
    ).all()
    by_student: dict[int, list[EnrollmentOut]] = {s: [] for s in student_ids}
    for enrollment, klass, location in rows:
        by_student[enrollment.student_id].append(enrollment_out(enrollment, klass, location))
    return by_student


def _out(student: tables.Student, enrollments: list[EnrollmentOut]) -> StudentOut:
    return StudentOut(
        id=student.id,
        first_name=student.first_name,
        last_name=student.last_name,
        birth_date=student.birth_date,
        gender=student.gender,
        medical_notes=student.medical_notes,
        enrollments=enrollments,
        version=student.version,
    )


def list_students(*, db: Session, family_id: int) -> list[StudentOut]:
    """Every student of the family, each with every enrollment (current, waitlist, past)."""
    students = list(
        db.scalars(
            select(tables.Student)
            .where(tables.Student.family_id == family_id)
            .order_by(tables.Student.first_name, tables.Student.id)
        )
    )
    enrollments = _enrollments(db, [s.id for s in students])
    return [_out(s, enrollments[s.id]) for s in students]


def student_out(db: Session, student: tables.Student) -> StudentOut:
    return _out(student, _enrollments(db, [student.id])[student.id])


EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _check_birth_date(family: FamilyAccess, body: StudentFields) -> None:
    """A birth date, when given, is a day that has come, and not before 1900."""
    born = body.birth_date
    if born is not None and born > business_today(family.zone):
        raise Invalid(
            "Check the birth date.", fields={"birth_date": "A birth date cannot be in the future."}
        )
    if born is not None and born < EARLIEST_BIRTH_DATE:
        raise Invalid("Check the birth date.", fields={"birth_date": "A birth date is after 1900."})


def add_student(family: FamilyAccess, body: StudentFields) -> StudentOut:
    _check_birth_date(family, body)
    student = tables.Student(
        family_id=family.id, checkin_code=new_checkin_code(), **body.model_dump()
    )
    family.db.add(student)
    family.db.flush()
    family.audit("student.add", {"student": student.id})
    return student_out(family.db, student)


def update_student(family: FamilyAccess, student_id: int, body: StudentUpdate) -> StudentOut:
    student = find_student(family, student_id)
    require_version(student, body.version, lambda: student_out(family.db, student), "student")
    _check_birth_date(family, body)
    for name, value in body.model_dump(exclude={"version"}).items():
        setattr(student, name, value)
    family.db.flush()
    family.audit("student.update", {"student": student.id})
    return student_out(family.db, student)
