"""Enrollments: drop, transfer, cancel a waitlist place, and the class schedule as a calendar.

A waitlist place is addressed as /waitlist/{id} and a class enrollment as /enrollments/{id};
both are rows of one table, and the service refuses (422) an action the record's kind or
status does not allow.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_tui.server.deps import AccessedFamily, RecordIdPath, StudentIdPath, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import calendar as calendar_service
from portal_tui.server.services import enrollments as enrollments_service
from portal_tui.wire.enrollments import (
    ICS_MEDIA_TYPE,
    EnrollmentChange,
    TransferOption,
    TransferRequest,
)
from portal_tui.wire.students import EnrollmentOut

router = APIRouter(prefix="/families/{family_id}", tags=["enrollments"], responses=WRITE)

CANCEL_WAITLIST = require(
    lambda c: c.cancel_waitlist, "Waitlist places cannot be cancelled in the portal."
)
DROP = require(lambda c: c.drop_enrollments, "Classes cannot be dropped in the portal.")
TRANSFER = require(lambda c: c.transfer_enrollments, "Classes cannot be transferred in the portal.")


@router.post(
    "/waitlist/{record_id}/cancel", response_model=EnrollmentOut, dependencies=[CANCEL_WAITLIST]
)
def cancel_waitlist(
    family: AccessedFamily, record_id: RecordIdPath, body: EnrollmentChange
) -> EnrollmentOut:
    """Cancel Waitlist: the place ends (cancelled) and the places behind it move up."""
    return enrollments_service.cancel_waitlist(family, record_id, body)


@router.post("/enrollments/{record_id}/drop", response_model=EnrollmentOut, dependencies=[DROP])
def drop_enrollment(
    family: AccessedFamily, record_id: RecordIdPath, body: EnrollmentChange
) -> EnrollmentOut:
    """Drop Enrollments: a current class ends today (dropped)."""
    return enrollments_service.drop(family, record_id, body)


@router.get(
    "/enrollments/{record_id}/transfer-options",
    response_model=list[TransferOption],
    dependencies=[TRANSFER],
)
def transfer_options(family: AccessedFamily, record_id: RecordIdPath) -> list[TransferOption]:
    """The classes this enrollment may move into: same level, running, a seat open."""
    return enrollments_service.transfer_options(family, record_id)


@router.post(
    "/enrollments/{record_id}/transfer", response_model=EnrollmentOut, dependencies=[TRANSFER]
)
def transfer_enrollment(
    family: AccessedFamily, record_id: RecordIdPath, body: TransferRequest
) -> EnrollmentOut:
    """Transfer Enrollments: the class ends today and the new one starts; returns the new."""
    return enrollments_service.transfer(family, record_id, body)


@router.get(
    "/students/{student_id}/schedule.ics",
    response_class=Response,
    responses={200: {"content": {ICS_MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
def schedule(family: AccessedFamily, student_id: StudentIdPath) -> Response:
    """Export Schedule: the student's current classes as an iCalendar file."""
    body = calendar_service.student_schedule(family, student_id)
    return Response(body, media_type=ICS_MEDIA_TYPE)
