"""FastAPI dependencies: the request's transaction, the caller, and the family they open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Forbidden, NotAuthenticated, NotFound
from portal_tui.server.outbox import Outbox
from portal_tui.server.services import auth as auth_service
from portal_tui.server.services import business as business_service
from portal_tui.server.services import capabilities as capabilities_service
from portal_tui.server.services import localtime
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services.access import Caller, FamilyAccess
from portal_tui.wire.common import MAX_ID
from portal_tui.wire.family import Capabilities


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back if it raises.

    Function scope ends the transaction before the response is sent, so a failed commit is
    never reported as a success. Services only flush.
    """
    with request.app.state.sessionmaker() as session, session.begin():
        yield session


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_outbox(request: Request) -> Outbox:
    """Where the server's mail goes (create_app's `outbox`)."""
    outbox: Outbox = request.app.state.outbox
    return outbox


MailOutbox = Annotated[Outbox, Depends(get_outbox)]

_bearer = HTTPBearer(auto_error=False, description="The session token from /auth/login.")


def request_origin(request: Request) -> tuple[str, str]:
    """(source, client address) of a request, for the audit log."""
    source = request.headers.get("user-agent", "")[:40]
    address = request.client.host if request.client else ""
    return source, address[:64]


def get_caller(
    request: Request,
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("Sign in first.")
    user, session = auth_service.authenticate_token(db=db, token=credentials.credentials)
    sessions_service.touch(session)
    guardian = db.get(tables.Guardian, user.guardian_id) if user.guardian_id else None
    source, address = request_origin(request)
    return Caller(user=user, session=session, guardian=guardian, source=source, address=address)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


VersionQuery = Annotated[
    int, Query(ge=1, le=MAX_ID, description="The version of the record the caller saw.")
]
"""A DELETE's version, as a query parameter (409 when the record changed since)."""

FamilyIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The family's id.")]
RecordIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]
StudentIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The student's id.")]


def get_family(family_id: FamilyIdPath, caller: CurrentCaller, db: DbSession) -> FamilyAccess:
    """The family at `family_id`, if the caller may open it.

    A guardian opens only their own family; any other id is 404, so ids reveal nothing.
    Staff are refused (403) until staff mode exists.
    """
    if caller.guardian is None:
        raise Forbidden("Staff cannot open families yet.")
    family = db.get(tables.Family, family_id)
    if family is None or caller.guardian.family_id != family.id:
        raise NotFound("No such family.")
    business = business_service.get_business(db=db)
    settings = business_service.settings_of(business)
    capabilities = capabilities_service.compute(
        db=db, guardian=caller.guardian, family_id=family.id, settings=settings
    )
    return FamilyAccess(
        db=db,
        caller=caller,
        family=family,
        settings=settings,
        capabilities=capabilities,
        zone=localtime.business_zone(business),
        business_name=business.name,
    )


AccessedFamily = Annotated[FamilyAccess, Depends(get_family)]
"""A route's family: reached through `get_family`, with the caller's capabilities there."""


def require(allowed: Callable[[Capabilities], bool], refusal: str) -> Any:
    """A route dependency answering 403 with `refusal` unless the caller's capabilities allow.

    Use it on every route of a feature a setting or role can turn off, so the rule holds
    even for a client that never looked at its capabilities.
    """

    def check(family: AccessedFamily) -> None:
        if not allowed(family.capabilities):
            raise Forbidden(refusal)

    return Depends(check)


def get_location_id(
    db: DbSession,
    location_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="The selected location; omit for all.")
    ] = None,
) -> int | None:
    """The selected location, checked to belong to this business."""
    if location_id is not None:
        business_service.require_location(db=db, location_id=location_id)
    return location_id


LocationId = Annotated[int | None, Depends(get_location_id)]


def get_required_location_id(
    db: DbSession,
    location_id: Annotated[int, Query(ge=1, le=MAX_ID, description="The selected location.")],
) -> int:
    """A location that must be given, checked to belong to this business."""
    business_service.require_location(db=db, location_id=location_id)
    return location_id


OneLocationId = Annotated[int, Depends(get_required_location_id)]
"""A location the request is about (a view of one location only)."""
