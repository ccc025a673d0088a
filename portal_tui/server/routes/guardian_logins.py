"""The primary guardian's control of a secondary guardian's sign-in: Send Invite Email,
Re-Send Invite Email, Revoke and Reset Password. A mail with a code goes before the request
commits: when it cannot go, nothing is changed (503, or 422 for an address the mail server
refuses). Revoke's notices go after the commit."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from portal_tui.server.deps import AccessedFamily, MailOutbox, RecordIdPath, require
from portal_tui.server.outbox import send_quietly
from portal_tui.server.routes.responses import WRITE, error
from portal_tui.server.services import invitations as invitations_service
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.invitations import GuardianAction, InvitationSend

router = APIRouter(
    prefix="/families/{family_id}/guardians/{record_id}",
    tags=["guardians"],
    responses={**WRITE, 503: error("The email could not be sent; nothing was changed.")},
    dependencies=[
        require(
            lambda c: c.manage_guardian_logins,
            "Only the primary guardian can manage another guardian's sign-in.",
        )
    ],
)


@router.post("/invitation", response_model=GuardianOut)
def send_invitation(
    family: AccessedFamily, record_id: RecordIdPath, body: InvitationSend, outbox: MailOutbox
) -> GuardianOut:
    """Send Invite Email, or Re-Send Invite Email: a new code (any earlier one stops)."""
    return invitations_service.send_invitation(family, record_id, body, outbox)


@router.post("/revoke", response_model=GuardianOut)
def revoke(
    family: AccessedFamily,
    record_id: RecordIdPath,
    body: GuardianAction,
    outbox: MailOutbox,
    background: BackgroundTasks,
) -> GuardianOut:
    """Revoke the invitation or the sign-in: signed out everywhere; both guardians told by
    email once it is done (a mail that cannot go is logged; the revoke stands)."""
    return invitations_service.revoke(
        family, record_id, body, lambda mail: background.add_task(send_quietly, outbox, mail)
    )


@router.post("/password-reset", response_model=GuardianOut)
def send_password_reset(
    family: AccessedFamily, record_id: RecordIdPath, body: GuardianAction, outbox: MailOutbox
) -> GuardianOut:
    """Reset Password: a reset code by email to a guardian who signs in."""
    return invitations_service.send_reset(family, record_id, body, outbox)
