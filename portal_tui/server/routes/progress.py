"""A student's progress: evaluated skills per level, and attendance."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, StudentIdPath, require
from portal_tui.server.routes.responses import FAMILY
from portal_tui.server.services import progress as progress_service
from portal_tui.wire.progress import StudentAttendance, StudentEvaluations

router = APIRouter(prefix="/families/{family_id}", tags=["progress"], responses=FAMILY)


@router.get("/students/{student_id}/evaluations", response_model=StudentEvaluations)
def student_evaluations(family: AccessedFamily, student_id: StudentIdPath) -> StudentEvaluations:
    """The student's "Evaluated Skills", per level."""
    return progress_service.evaluations(family, student_id)


@router.get(
    "/students/{student_id}/attendance",
    response_model=StudentAttendance,
    dependencies=[require(lambda c: c.attendance, "This business does not show attendance.")],
)
def student_attendance(family: AccessedFamily, student_id: StudentIdPath) -> StudentAttendance:
    """The student's attendance for each class enrollment, current and past."""
    return progress_service.attendance(family, student_id)
