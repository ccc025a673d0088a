"""What a person does on the sign-in screen with an emailed code: accept an invitation, ask
for a password reset (Forgot Password), and set a new password with the reset code. None of
these needs a session."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request

from portal_tui.server import clock
from portal_tui.server.deps import DbSession, MailOutbox, request_origin
from portal_tui.server.errors import TooManyAttempts
from portal_tui.server.outbox import send_quietly
from portal_tui.server.routes.responses import error
from portal_tui.server.services import business as business_service
from portal_tui.server.services import invitations as invitations_service
from portal_tui.server.services import password_resets as resets_service
from portal_tui.server.services import sign_in_limits
from portal_tui.server.services.auth import too_many
from portal_tui.wire.invitations import (
    InvitationAccept,
    ResetComplete,
    ResetRequest,
    ResetRequested,
    SignInEmail,
)

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    responses={422: error("A field is not valid, or the code is not (it may have expired).")},
)

RESET_REQUESTED = (
    "If that email signs in to this portal, a reset code is on its way to it. "
    "It can take a few minutes to arrive."
)


@router.post("/invitation/accept", response_model=SignInEmail)
def accept_invitation(body: InvitationAccept, request: Request, db: DbSession) -> SignInEmail:
    """Accept an invitation: set a password (the invitee confirms they are an adult); then
    sign in with the email it names."""
    source, address = request_origin(request)
    return invitations_service.accept(db=db, body=body, source=source, address=address)


@router.post(
    "/password-reset",
    response_model=ResetRequested,
    status_code=202,
    responses={429: error("Too many failed sign-ins from this address: try again later.")},
)
def request_password_reset(
    body: ResetRequest,
    request: Request,
    db: DbSession,
    outbox: MailOutbox,
    background: BackgroundTasks,
) -> ResetRequested:
    """Forgot Password: the same answer, at about the same time, whether or not the email
    signs in here; the mail goes after the answer, so its sending tells nothing. Each request
    counts against its address like a failed sign-in, and a user gets at most a few codes a
    day, so it cannot be used to flood anyone with mail."""
    source, address = request_origin(request)
    settings = business_service.get_settings(db=db)
    now = clock.now()
    wait = sign_in_limits.address_wait(db=db, address=address, settings=settings, now=now)
    if wait:
        raise TooManyAttempts(too_many(wait), retry_after=wait)
    # each request counts like a failed sign-in from its address, known email or not
    sign_in_limits.count_address_failure(db=db, address=address, settings=settings, now=now)
    mail = resets_service.requested(
        db=db,
        email=body.email.strip(),
        business=business_service.get_business(db=db).name,
        source=source,
        address=address,
    )
    if mail is not None:
        background.add_task(send_quietly, outbox, mail)
    return ResetRequested(message=RESET_REQUESTED)


@router.post("/password-reset/complete", response_model=SignInEmail)
def complete_password_reset(body: ResetComplete, request: Request, db: DbSession) -> SignInEmail:
    """Set a new password with a reset code: every session of the user ends; then sign in."""
    source, address = request_origin(request)
    return resets_service.complete(db=db, body=body, source=source, address=address)
