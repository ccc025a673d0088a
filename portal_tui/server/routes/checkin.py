"""Each student's check-in code, shown as a QR code, and regenerating it."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, StudentIdPath, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import checkin_codes as checkin_service
from portal_tui.wire.checkin import CheckinCodeOut

router = APIRouter(
    prefix="/families/{family_id}",
    tags=["checkin"],
    responses=WRITE,
    dependencies=[require(lambda c: c.qr_codes, "QR codes are not offered in the portal.")],
)


@router.get("/students/{student_id}/checkin-code", response_model=CheckinCodeOut)
def get_checkin_code(family: AccessedFamily, student_id: StudentIdPath) -> CheckinCodeOut:
    return checkin_service.get_checkin_code(family, student_id)


@router.post("/students/{student_id}/checkin-code", response_model=CheckinCodeOut)
def regenerate_checkin_code(family: AccessedFamily, student_id: StudentIdPath) -> CheckinCodeOut:
    """A fresh code for the student; the old one stops working."""
    return checkin_service.regenerate_checkin_code(family, student_id)
