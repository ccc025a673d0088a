"""A student's check-in code, as their QR code shows it, and replacing it with a fresh one."""

from __future__ import annotations

from sqlalchemy import update

from portal_tui.server import tables
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.checkin import new_checkin_code
from portal_tui.server.services.students import find_student
from portal_tui.wire.checkin import CheckinCodeOut


def get_checkin_code(family: FamilyAccess, student_id: int) -> CheckinCodeOut:
    return CheckinCodeOut(code=find_student(family, student_id).checkin_code)


def regenerate_checkin_code(family: FamilyAccess, student_id: int) -> CheckinCodeOut:
    """Give the student a fresh code; the old one stops working at once.

    The code is not part of the student's details the family edits, so this leaves the
    student's version alone (an open Edit Student form stays good).
    """
    student = find_student(family, student_id)
    code = new_checkin_code()
    family.db.execute(
        update(tables.Student)
        .where(tables.Student.id == student.id)
        .values(checkin_code=code)
        .execution_options(synchronize_session=False)
    )
    family.db.expire(student, ["checkin_code"])
    family.audit("student.checkin_code_regenerate", {"student": student.id})
    return CheckinCodeOut(code=code)
