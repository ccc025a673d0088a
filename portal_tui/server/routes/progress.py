"""A student's progress: evaluated skills per level, and attendance."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.routes.responses import WRITE

router = APIRouter(prefix="/families/{family_id}", tags=["progress"], responses=WRITE)
