"""Snapshots of each report at 80×24 (Northside, PORTAL_TODAY fixed): the statement, the
ledger of the last 30 days, and the payment statement of 2025."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from portal_tui.screens.statements import LEDGER, PAYMENTS, STATEMENT, PeriodForm, ReportScreen
from tests.tui.pilot import fill, make, open_account, palette, until


def open_report(label: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await palette(pilot, "Location: Northside")
        await palette(pilot, label)
        if label == PAYMENTS:
            await until(pilot, lambda: isinstance(pilot.app.screen, PeriodForm))
            await fill(pilot, "#field-start Input", "2025-01-01")
            await fill(pilot, "#field-end Input", "2025-12-31")
            await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: isinstance(screen := pilot.app.screen, ReportScreen) and screen.ready,
        )
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize(
    "label", [STATEMENT, LEDGER, PAYMENTS], ids=["statement", "ledger", "payments"]
)
def test_report_at_80x24(snap_compare: Callable[..., bool], server_url: str, label: str) -> None:
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=open_report(label))
