"""FastAPI dependencies: the database session, the caller, their family."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Forbidden, NotAuthenticated
from portal_tui.server.services import auth as auth_service
from portal_tui.server.services import business as business_service


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back if it raises.

    Function scope ends the transaction before the response is sent, so a failed commit is
    never reported as a success. Services only flush.
    """
    with request.app.state.sessionmaker() as session, session.begin():
        yield session


DbSession = Annotated[Session, Depends(get_db, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="The session token from /auth/login.")


@dataclass(frozen=True)
class Caller:
    """Who is calling: the user and the session row their token names."""

    user: tables.User
    session: tables.Session
    guardian: tables.Guardian | None


def get_caller(
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("Sign in first.")
    user, session = auth_service.authenticate_token(db=db, token=credentials.credentials)
    guardian = db.get(tables.Guardian, user.guardian_id) if user.guardian_id else None
    return Caller(user=user, session=session, guardian=guardian)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


def get_family_id(caller: CurrentCaller) -> int:
    """The family whose data the caller may see (guardians: their own)."""
    if caller.guardian is None:
        raise Forbidden("This account has no family; staff mode comes later.")
    return caller.guardian.family_id


FamilyId = Annotated[int, Depends(get_family_id)]


def get_location_id(
    db: DbSession,
    location_id: Annotated[
        int | None, Query(ge=1, description="The selected location; omit for all.")
    ] = None,
) -> int | None:
    """The selected location, checked to belong to this business."""
    if location_id is not None:
        business_service.require_location(db=db, location_id=location_id)
    return location_id


LocationId = Annotated[int | None, Depends(get_location_id)]
