"""The UI shows only what the business's settings (read from the server at sign-in) turn on,
each setting on and off."""

from __future__ import annotations

import re

import pytest
from textual.widgets import TabbedContent

from portal_tui.screens.tab import AccountTab
from tests import servers
from tests.tui.pilot import make, open_account, screen_text, until


async def payments_text(sqlite_url: str, **settings: str) -> str:
    servers.set_settings(sqlite_url, **settings)
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_account(pilot)
            screen.query_one("#tabs", TabbedContent).active = "payments"
            await until(pilot, lambda: screen.query_one("#payments-tab", AccountTab).ready)
            return screen_text(pilot)


@pytest.mark.parametrize("credit", ["on", "off"])
async def test_credit_shows_only_when_on(sqlite_url: str, credit: str) -> None:
    text = await payments_text(sqlite_url, credit=credit)
    assert "Outstanding" in text
    assert bool(re.search(r"Credit +\$", text)) is (credit == "on")


@pytest.mark.parametrize("gateway", ["demo", "none"])
async def test_no_gateway_says_online_payments_are_not_accepted(
    sqlite_url: str, gateway: str
) -> None:
    text = await payments_text(sqlite_url, payment_gateway=gateway)
    assert ("does not accept online payments" in text) is (gateway == "none")
