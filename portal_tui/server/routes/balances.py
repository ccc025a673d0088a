"""The balance chart's data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal_tui.server.deps import AccessedFamily, OneLocationId
from portal_tui.server.routes.responses import FAMILY
from portal_tui.server.services import balances as balances_service
from portal_tui.wire.balances import MAX_POINTS, BalanceHistory

router = APIRouter(prefix="/families/{family_id}", tags=["ledger"], responses=FAMILY)


@router.get("/ledger/balances", response_model=BalanceHistory)
def balance_history(
    family: AccessedFamily,
    location_id: OneLocationId,
    points: Annotated[int, Query(ge=2, le=MAX_POINTS)] = 120,
) -> BalanceHistory:
    """The location's balance over time, oldest first, in at most `points` samples."""
    return balances_service.balance_history(
        db=family.db, family_id=family.id, location_id=location_id, points=points
    )
