"""The signed-in user's own security: Change Password, and their sessions (list, sign out
one, sign out every other)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from portal_tui.server.deps import CurrentCaller, DbSession
from portal_tui.server.errors import api_error_response
from portal_tui.server.routes.responses import SIGN_IN, SIGNED_IN, error
from portal_tui.server.services import passwords as passwords_service
from portal_tui.server.services import sessions as sessions_service
from portal_tui.wire.common import MAX_ID
from portal_tui.wire.security import PasswordChange, PasswordChanged, SessionOut, SessionsEnded

router = APIRouter(prefix="/auth", tags=["auth"], responses=SIGNED_IN)

SessionIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The session's id.")]


@router.post(
    "/password",
    response_model=PasswordChanged,
    responses={status: SIGN_IN[status] for status in (429, 503)},
)
def change_password(
    body: PasswordChange, caller: CurrentCaller, db: DbSession
) -> PasswordChanged | Response:
    """Change the caller's password (the current one required; the new one strong enough);
    every other session of the caller ends, this one carries on. A wrong current password is
    answered here, not raised, so that its count and audit row are kept."""
    try:
        return passwords_service.change_password(db=db, caller=caller, body=body)
    except passwords_service.CurrentPasswordRefused as refused:
        return api_error_response(refused)


@router.get("/sessions", response_model=list[SessionOut])
def list_sessions(caller: CurrentCaller, db: DbSession) -> list[SessionOut]:
    """The caller's active sessions, the most recently used first."""
    return sessions_service.list_sessions(db=db, caller=caller)


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    responses={404: error("No such active session of the caller's.")},
)
def end_session(session_id: SessionIdPath, caller: CurrentCaller, db: DbSession) -> Response:
    """Sign out one of the caller's sessions (404 for any other)."""
    sessions_service.end_session(db=db, caller=caller, session_id=session_id)
    return Response(status_code=204)


@router.post("/sessions/end-others", response_model=SessionsEnded)
def end_other_sessions(caller: CurrentCaller, db: DbSession) -> SessionsEnded:
    """Sign out every session of the caller but this one."""
    return sessions_service.end_other_sessions(db=db, caller=caller, action="session.ended_others")
