"""The signed-in user's two-step verification: whether it is on, turning it on (a secret,
then a first code, which gives the recovery codes) and turning it off."""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_tui.server.deps import CurrentCaller, DbSession
from portal_tui.server.routes.responses import SIGNED_IN, error
from portal_tui.server.services import two_step as two_step_service
from portal_tui.wire.two_step import (
    PasswordAndCode,
    RecoveryCodes,
    TwoStepCode,
    TwoStepSetup,
    TwoStepStatus,
)

router = APIRouter(prefix="/auth/two-step", tags=["auth"], responses=SIGNED_IN)


@router.get("", response_model=TwoStepStatus)
def two_step_status(caller: CurrentCaller, db: DbSession) -> TwoStepStatus:
    """Whether the caller's two-step verification is on, and whether their role requires it."""
    return two_step_service.status(db=db, caller=caller)


@router.post(
    "/start",
    response_model=TwoStepSetup,
    responses={409: error("Two-step verification is already on: turn it off first.")},
)
def start_two_step(caller: CurrentCaller, db: DbSession) -> TwoStepSetup:
    """A new secret for an authenticator app; it is not on until `confirm` gets its first
    code."""
    return two_step_service.start(db=db, caller=caller)


@router.post("/confirm", response_model=RecoveryCodes)
def confirm_two_step(body: TwoStepCode, caller: CurrentCaller, db: DbSession) -> RecoveryCodes:
    """Turn two-step verification on with the app's first code (422 if it is not right, or
    nothing was started); the recovery codes, shown this once."""
    return two_step_service.confirm(db=db, caller=caller, code=body.code)


@router.post("/disable", status_code=204, response_class=Response)
def disable_two_step(body: PasswordAndCode, caller: CurrentCaller, db: DbSession) -> Response:
    """Turn two-step verification off, given the password and a code (422 if either is not
    right, if it is not on, or if the caller's role requires it)."""
    two_step_service.turn_off(db=db, caller=caller, body=body)
    return Response(status_code=204)


@router.post("/recovery-codes", response_model=RecoveryCodes)
def renew_recovery_codes(
    body: PasswordAndCode, caller: CurrentCaller, db: DbSession
) -> RecoveryCodes:
    """New recovery codes, given the password and a code (422 if either is not right, or it
    is not on); the earlier ones stop working. Shown this once."""
    return two_step_service.renew_recovery_codes(db=db, caller=caller, body=body)
