"""Each student's check-in code, shown as a QR code, and regenerating it."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.routes.responses import WRITE

router = APIRouter(prefix="/families/{family_id}", tags=["checkin"], responses=WRITE)
