"""Enrollments: drop, transfer, cancel a waitlist place, and the class schedule as a calendar."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.routes.responses import WRITE

router = APIRouter(prefix="/families/{family_id}", tags=["enrollments"], responses=WRITE)
