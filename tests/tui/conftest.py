"""Fixtures of the UI tests that more than one module drives."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot

from portal_tui.screens.security import SecurityTab
from tests.tui.pilot import make, open_account, until

SIZE = (80, 24)
"""The smallest terminal the app is made for."""


@pytest.fixture
async def security(server_url: str) -> AsyncIterator[tuple[Pilot[None], SecurityTab]]:
    """The demo primary's Security tab at 80×24, loaded."""
    async with make(server_url).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        await pilot.press("5")
        tab = pilot.app.screen.query_one(SecurityTab)
        await until(pilot, lambda: tab.ready)
        yield pilot, tab
