"""Transaction History's reports (/families/{id}/statement, /ledger-report,
/payment-statement)."""

from __future__ import annotations

from portal_tui.api.section import FamilySection
from portal_tui.wire.statements import LedgerReport, PaymentStatement, Period, Statement


class StatementApi(FamilySection):
    """The open family's reports, reached through `FamilyApi.statements`."""

    async def statement(self, location_id: int) -> Statement:
        """The location's charges that still owe something as of today, with the totals."""
        return await self.read("/statement", Statement, location_id=location_id)

    async def ledger(self, location_id: int, period: Period | None = None) -> LedgerReport:
        """The location's entries of `period` with the running balance; without a period,
        the last 30 days (the only one the server allows without full ledger history)."""
        dates = {} if period is None else _dates(period)
        return await self.read("/ledger-report", LedgerReport, location_id=location_id, **dates)

    async def payments(self, period: Period) -> PaymentStatement:
        """Every payment of `period`, at any location, with the total."""
        return await self.read("/payment-statement", PaymentStatement, **_dates(period))


def _dates(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}
