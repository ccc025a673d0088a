"""A failed load becomes a clear message in place, with the way to retry."""

from __future__ import annotations

from contextlib import ExitStack

from textual.widgets import TabbedContent

from portal_tui.screens.main import MainScreen
from tests import servers
from tests.tui.pilot import make, screen_text, sign_in, until


async def test_server_gone_shows_a_message_in_the_tab(sqlite_url: str) -> None:
    with ExitStack() as running:
        url = running.enter_context(servers.live_server(sqlite_url))
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in(pilot)
            await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
            running.close()  # the server goes away
            assert isinstance(app.screen, MainScreen)
            app.screen.query_one(TabbedContent).active = "account-info"
            await until(pilot, lambda: "Cannot reach the portal" in screen_text(pilot))
            assert url in screen_text(pilot)
            assert "Ctrl+R to retry" in screen_text(pilot)
            assert isinstance(app.screen, MainScreen)
