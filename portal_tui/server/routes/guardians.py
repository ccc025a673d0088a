"""Add a guardian to the family ("Add Guardian") and change one's name and relation ("Edit
Guardian")."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, RecordIdPath, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import guardians as guardians_service
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.guardians import GuardianFields, GuardianUpdate

router = APIRouter(prefix="/families/{family_id}", tags=["guardians"], responses=WRITE)


@router.post(
    "/guardians",
    response_model=GuardianOut,
    status_code=201,
    dependencies=[
        require(lambda c: c.add_guardian, "Only the primary guardian can add a guardian.")
    ],
)
def add_guardian(family: AccessedFamily, body: GuardianFields) -> GuardianOut:
    """A secondary guardian without login access or permission to make payments."""
    return guardians_service.add_guardian(family, body)


@router.put(
    "/guardians/{record_id}",
    response_model=GuardianOut,
    dependencies=[require(lambda c: bool(c.edit_guardians), guardians_service.KEPT_BY_THEMSELVES)],
)
def update_guardian(
    family: AccessedFamily, record_id: RecordIdPath, body: GuardianUpdate
) -> GuardianOut:
    """Change the name and relation of the caller themselves, or (the primary guardian) of a
    secondary guardian who has not accepted an invitation to log in."""
    return guardians_service.update_guardian(family, record_id, body)
