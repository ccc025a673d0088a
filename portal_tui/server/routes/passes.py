"""Punch passes and redeeming a punch."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, RecordIdPath, StudentIdPath, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import passes as passes_service
from portal_tui.wire.passes import PassOut, RedeemPunch

router = APIRouter(
    prefix="/families/{family_id}",
    tags=["passes"],
    responses=WRITE,
    dependencies=[require(lambda c: c.punch_passes, "Punch passes are not shown in the portal.")],
)


@router.get("/students/{student_id}/passes", response_model=list[PassOut])
def list_passes(family: AccessedFamily, student_id: StudentIdPath) -> list[PassOut]:
    return passes_service.list_passes(family, student_id)


@router.post(
    "/passes/{record_id}/redeem",
    response_model=PassOut,
    dependencies=[require(lambda c: c.redeem_punches, "Punches cannot be redeemed in the portal.")],
)
def redeem_punch(family: AccessedFamily, record_id: RecordIdPath, body: RedeemPunch) -> PassOut:
    """Use one punch of an active pass."""
    return passes_service.redeem_punch(family, record_id, body)
