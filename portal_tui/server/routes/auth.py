"""Sign in, sign out, and who is signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from portal_tui.server.deps import CurrentCaller, DbSession
from portal_tui.server.services import auth as auth_service
from portal_tui.wire.auth import LoginRequest, LoginResult, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginResult)
def login(
    body: LoginRequest,
    db: DbSession,
    user_agent: Annotated[str, Header(include_in_schema=False)] = "",
) -> LoginResult:
    return auth_service.login(
        db=db, email=body.email, password=body.password.get_secret_value(), client_name=user_agent
    )


@router.post("/logout", status_code=204, response_class=Response)
def logout(caller: CurrentCaller, db: DbSession) -> Response:
    auth_service.logout(db=db, session=caller.session)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
def me(caller: CurrentCaller, db: DbSession) -> UserOut:
    return auth_service.user_out(db=db, user=caller.user)
