"""The business's settings and locations."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import CurrentCaller, DbSession
from portal_tui.server.routes.responses import SIGNED_IN
from portal_tui.server.services import business as business_service
from portal_tui.wire.settings import BusinessOut, LocationOut

router = APIRouter(tags=["business"], responses=SIGNED_IN)


@router.get("/settings", response_model=BusinessOut)
def get_settings(_caller: CurrentCaller, db: DbSession) -> BusinessOut:
    return business_service.business_out(db=db)


@router.get("/locations", response_model=list[LocationOut])
def list_locations(_caller: CurrentCaller, db: DbSession) -> list[LocationOut]:
    return business_service.list_locations(db=db)
