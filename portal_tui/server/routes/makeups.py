"""Makeups: tokens by location and state, using a token, and requesting a makeup."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, LocationId, RecordIdPath, StudentIdPath, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import makeups as makeups_service
from portal_tui.wire.makeups import (
    MakeupOut,
    MakeupRequest,
    MakeupsOut,
    MakeupTokenOut,
    MakeupTokensOut,
    OpenSessionOut,
    UseMakeupToken,
)

router = APIRouter(prefix="/families/{family_id}", tags=["makeups"], responses=WRITE)

TOKENS = [require(lambda c: c.makeup_tokens, "Makeup tokens are not used by this business.")]
REQUESTS = [require(lambda c: c.makeup_requests, "Makeups cannot be requested in the portal.")]


@router.get(
    "/students/{student_id}/makeup-tokens", response_model=MakeupTokensOut, dependencies=TOKENS
)
def list_tokens(
    family: AccessedFamily, student_id: StudentIdPath, location_id: LocationId
) -> MakeupTokensOut:
    """The student's makeup tokens in five groups; "current" is the selected location."""
    return makeups_service.list_tokens(family, student_id, location_id)


@router.get(
    "/makeup-tokens/{record_id}/sessions",
    response_model=list[OpenSessionOut],
    dependencies=TOKENS,
)
def token_sessions(family: AccessedFamily, record_id: RecordIdPath) -> list[OpenSessionOut]:
    """The class sessions this token may book, nearest first."""
    return makeups_service.token_sessions(family, record_id)


@router.post("/makeup-tokens/{record_id}/use", response_model=MakeupTokenOut, dependencies=TOKENS)
def use_token(
    family: AccessedFamily, record_id: RecordIdPath, body: UseMakeupToken
) -> MakeupTokenOut:
    """Book a makeup with this token ("Use Makeup Token"); the token becomes pending."""
    return makeups_service.use_token(family, record_id, body)


@router.get(
    "/students/{student_id}/makeup-options",
    response_model=list[OpenSessionOut],
    dependencies=REQUESTS,
)
def request_options(family: AccessedFamily, student_id: StudentIdPath) -> list[OpenSessionOut]:
    """The class sessions a makeup may be requested for, nearest first."""
    return makeups_service.request_options(family, student_id)


@router.post(
    "/students/{student_id}/makeups",
    response_model=MakeupOut,
    status_code=201,
    dependencies=REQUESTS,
)
def request_makeup(
    family: AccessedFamily, student_id: StudentIdPath, body: MakeupRequest
) -> MakeupOut:
    """Book a makeup without a token ("Request a Makeup")."""
    return makeups_service.request_makeup(family, student_id, body)


@router.get("/students/{student_id}/makeups", response_model=MakeupsOut, dependencies=REQUESTS)
def list_makeups(family: AccessedFamily, student_id: StudentIdPath) -> MakeupsOut:
    """The student's makeups: still to come, and held ("Past Makeups")."""
    return makeups_service.list_makeups(family, student_id)
