"""`GET /meta`: what a client checks before signing in."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui import __version__
from portal_tui.server.deps import DbSession
from portal_tui.server.services import business as business_service
from portal_tui.wire import API_VERSION
from portal_tui.wire.common import Meta

router = APIRouter(tags=["meta"])


@router.get("/meta", response_model=Meta)
def get_meta(db: DbSession) -> Meta:
    business = business_service.get_business(db=db)
    return Meta(server_version=__version__, api_version=API_VERSION, business_name=business.name)
