"""Future absences: creating, listing and cancelling them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_tui.server.deps import (
    AccessedFamily,
    RecordIdPath,
    StudentIdPath,
    VersionQuery,
    require,
)
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import absences as absences_service
from portal_tui.wire.absences import AbsenceByDate, AbsenceByEnrollment, AbsenceClass, AbsenceOut

router = APIRouter(
    prefix="/families/{family_id}",
    tags=["absences"],
    responses=WRITE,
    dependencies=[
        require(lambda c: c.future_absences, "Future absences are not offered in the portal.")
    ],
)


@router.get("/students/{student_id}/absences", response_model=list[AbsenceOut])
def list_absences(family: AccessedFamily, student_id: StudentIdPath) -> list[AbsenceOut]:
    """The student's scheduled absences that have not ended, soonest first."""
    return absences_service.list_absences(family, student_id)


@router.post("/students/{student_id}/absences", response_model=AbsenceOut, status_code=201)
def add_by_date(
    family: AccessedFamily, student_id: StudentIdPath, body: AbsenceByDate
) -> AbsenceOut:
    """Create Future Absence By Date: local start and end in the business's time zone.

    `makeup_token` in the answer is set when the notice earned one."""
    return absences_service.add_by_date(family, student_id, body)


@router.get("/students/{student_id}/absences/sessions", response_model=list[AbsenceClass])
def absence_sessions(family: AccessedFamily, student_id: StudentIdPath) -> list[AbsenceClass]:
    """The student's current classes, each with the upcoming dates an absence by enrollment
    may name."""
    return absences_service.absence_classes(family, student_id)


@router.post(
    "/students/{student_id}/absences/by-enrollment", response_model=AbsenceOut, status_code=201
)
def add_by_enrollment(
    family: AccessedFamily, student_id: StudentIdPath, body: AbsenceByEnrollment
) -> AbsenceOut:
    """Create Future Absence By Enrollment: one current class on one of its upcoming dates.

    `makeup_token` in the answer is set when the notice earned one."""
    return absences_service.add_by_enrollment(family, student_id, body)


@router.delete("/absences/{record_id}", status_code=204, response_class=Response)
def cancel_absence(
    family: AccessedFamily, record_id: RecordIdPath, version: VersionQuery
) -> Response:
    """Cancel an absence that has not begun; an unused makeup token it earned is withdrawn
    (409 when that token is already applied to a makeup or spent)."""
    absences_service.cancel(family, record_id, version)
    return Response(status_code=204)
