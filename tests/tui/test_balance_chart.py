"""The balance chart, from the palette in Transaction History, against the real server: the
selected location's balance over time drawn at 80×24, with its figures said in words."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from textual.pilot import Pilot
from textual_plotext import PlotextPlot

from portal_tui.screens.balance_chart import BalanceChartScreen
from portal_tui.screens.history import HistoryTab
from portal_tui.wire.ledger import LedgerRow
from tests.tui.api import Api
from tests.tui.pilot import make, open_account, palette, screen_text, until


@pytest.fixture
async def pilot(server_url: str) -> AsyncIterator[Pilot[None]]:
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        yield pilot


async def open_chart(pilot: Pilot[None]) -> BalanceChartScreen:
    await palette(pilot, "Balance Chart")
    await until(pilot, lambda: isinstance(pilot.app.screen, BalanceChartScreen))
    await until(pilot, lambda: "Balance now" in screen_text(pilot))
    screen = pilot.app.screen
    assert isinstance(screen, BalanceChartScreen)
    return screen


async def test_the_chart_shows_the_selected_locations_balance(
    pilot: Pilot[None], server_url: str
) -> None:
    history = pilot.app.screen.query_one(HistoryTab)
    chart = await open_chart(pilot)
    assert chart.location_id == history.location_id
    api = Api(server_url)
    newest = api.send("GET", "/ledger", params={"location_id": chart.location_id, "limit": 1})
    row = LedgerRow.model_validate(newest.json()["items"][0])
    text = screen_text(pilot)
    assert f"Balance over time · {row.location_name}" in text
    assert f"Balance now ${row.balance_cents / 100:,.2f}" in text
    assert f"to {row.entry_date.isoformat()}" in " ".join(text.split())
    assert any(ch in text for ch in "⠁⠂⠄⡀⢀⣀"), "the line is drawn"
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(pilot.app.screen, BalanceChartScreen))


def behind_the_dialog(svg: str) -> bool:
    return "Rivera" in svg and "Refresh" in svg


def test_chart_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await open_chart(pilot)
        await until(pilot, lambda: not pilot.app.screen.query_one(PlotextPlot).loading)
        # Under load the screen behind the dialog was once captured blank: wait until a
        # screenshot shows it (its top bar and footer), as the snapshot does.
        await until(pilot, lambda: behind_the_dialog(pilot.app.export_screenshot()))

    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)
