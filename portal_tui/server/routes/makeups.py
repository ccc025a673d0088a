"""Makeups: tokens by location and state, using a token, and requesting a makeup."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.routes.responses import WRITE

router = APIRouter(prefix="/families/{family_id}", tags=["makeups"], responses=WRITE)
