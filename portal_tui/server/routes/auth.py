"""Sign in, sign out, and who is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal_tui.server.deps import CurrentCaller, DbSession, request_origin
from portal_tui.server.errors import api_error_response
from portal_tui.server.routes.responses import SIGN_IN, SIGNED_IN
from portal_tui.server.services import auth as auth_service
from portal_tui.wire.auth import LoginRequest, LoginResult, UserOut

router = APIRouter(prefix="/auth", tags=["auth"], responses=SIGNED_IN)


@router.post("/login", response_model=LoginResult, responses=SIGN_IN)
def login(body: LoginRequest, request: Request, db: DbSession) -> LoginResult | Response:
    """Sign in. A failure is answered here, not raised, so that the request's one transaction
    commits its count and audit row. Too many failures from one address are answered 429 with
    Retry-After rather than by holding the answer back: a delayed answer would keep a worker
    thread, a connection and a sign-in turn for the whole delay."""
    source, address = request_origin(request)
    try:
        return auth_service.login(
            db=db,
            email=body.email,
            password=body.password.get_secret_value(),
            code=body.code,
            client_name=request.headers.get("user-agent", ""),
            source=source,
            client_address=address,
        )
    except (auth_service.SignInFailed, auth_service.TwoStepRequired) as failed:
        return api_error_response(failed)


@router.post("/logout", status_code=204, response_class=Response)
def logout(caller: CurrentCaller, db: DbSession) -> Response:
    auth_service.logout(db=db, caller=caller)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
def me(caller: CurrentCaller, db: DbSession) -> UserOut:
    return auth_service.user_out(db=db, user=caller.user)
