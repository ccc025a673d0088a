"""Sign in, sign out, and who is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal_tui.server.deps import CurrentCaller, DbSession, request_origin
from portal_tui.server.routes.responses import SIGNED_IN
from portal_tui.server.services import auth as auth_service
from portal_tui.wire.auth import LoginRequest, LoginResult, UserOut

router = APIRouter(prefix="/auth", tags=["auth"], responses=SIGNED_IN)


@router.post("/login", response_model=LoginResult)
def login(body: LoginRequest, request: Request, db: DbSession) -> LoginResult:
    source, address = request_origin(request)
    return auth_service.login(
        db=db,
        email=body.email,
        password=body.password.get_secret_value(),
        client_name=request.headers.get("user-agent", ""),
        source=source,
        client_address=address,
    )


@router.post("/logout", status_code=204, response_class=Response)
def logout(caller: CurrentCaller, db: DbSession) -> Response:
    auth_service.logout(db=db, caller=caller)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
def me(caller: CurrentCaller, db: DbSession) -> UserOut:
    return auth_service.user_out(db=db, user=caller.user)
