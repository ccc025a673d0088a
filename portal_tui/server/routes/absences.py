"""Future absences: creating, listing and cancelling them."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.routes.responses import WRITE

router = APIRouter(prefix="/families/{family_id}", tags=["absences"], responses=WRITE)
