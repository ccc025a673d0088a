"""Transaction History's reports: Generate Statement for This Location, Generate Ledger for
This Location, and the Payment Statement of a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from portal_tui.server.deps import AccessedFamily, LocationId, require
from portal_tui.server.routes.responses import FAMILY
from portal_tui.server.services import statements as statements_service
from portal_tui.wire.statements import LedgerReport, PaymentStatement, Statement

router = APIRouter(prefix="/families/{family_id}", tags=["statements"], responses=FAMILY)

StartDate = Annotated[date | None, Query(description="The period's first day, YYYY-MM-DD.")]
EndDate = Annotated[date | None, Query(description="The period's last day, YYYY-MM-DD.")]


@router.get(
    "/statement",
    response_model=Statement,
    dependencies=[require(lambda c: c.statements, statements_service.NO_STATEMENTS)],
)
def get_statement(family: AccessedFamily, location_id: LocationId) -> Statement:
    """The selected location's charges dated up to today that still owe something, with
    what each owes and the totals (without a location: every location's). 403 when the
    business does not offer statements."""
    return statements_service.statement(family, location_id)


@router.get(
    "/ledger-report",
    response_model=LedgerReport,
    dependencies=[require(lambda c: c.ledgers, statements_service.NO_LEDGERS)],
)
def get_ledger_report(
    family: AccessedFamily, location_id: LocationId, start: StartDate = None, end: EndDate = None
) -> LedgerReport:
    """The selected location's charges, payments, refunds and credits of a period, oldest
    first, with the running balance (without a location: every location's). Without full
    ledger history the period is the last 30 days, today included, and naming a date is 422;
    with it, `start`..`end` (start ≤ end, else 422), or the last 30 days when neither is
    given. 403 when the business does not offer ledgers."""
    return statements_service.ledger_report(family, location_id, start, end)


@router.get("/payment-statement", response_model=PaymentStatement)
def get_payment_statement(
    family: AccessedFamily, start: StartDate = None, end: EndDate = None
) -> PaymentStatement:
    """Every payment dated `start`..`end` at any location (both required, start ≤ end, else
    422): date, method (kind, brand, last four only), students paid for, location, amount,
    and the total."""
    return statements_service.payment_statement(family, start, end)
