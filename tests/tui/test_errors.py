"""A failed load becomes a clear message in place, with the way to retry."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from textual.widgets import TabbedContent

from portal_tui.screens.main import MainScreen
from portal_tui.widgets.ledger_table import LedgerTable
from tests import servers
from tests.tui.pilot import first_rows, make, open_account, screen_text, sign_in, until


async def test_server_gone_shows_a_message_in_the_tab(sqlite_url: str) -> None:
    with ExitStack() as running:
        url = running.enter_context(servers.live_server(sqlite_url))
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_account(pilot)
            screen.query_one(TabbedContent).active = "history"
            table = screen.query_one(LedgerTable)
            await until(pilot, lambda: first_rows(table))
            running.close()  # the server goes away
            await pilot.press("4")  # Account Info, as a user opens it
            await until(pilot, lambda: "Cannot reach the portal" in screen_text(pilot))
            assert url in screen_text(pilot)
            assert "Ctrl+R to retry" in screen_text(pilot)
            assert isinstance(app.screen, MainScreen)
            screen.query_one(TabbedContent).active = "history"
            screen.location_id = next(
                loc.id for loc in screen.portal.locations if loc.id != screen.location_id
            )
            await until(pilot, lambda: "Cannot reach the portal" in screen_text(pilot))
            await until(pilot, lambda: not table.total)  # no old location's rows under the error


async def test_names_with_brackets_are_shown_as_typed(sqlite_url: str) -> None:
    """Text from the server is never read as markup: it neither crashes nor restyles."""
    from sqlalchemy import update

    from portal_tui.server import tables
    from portal_tui.server.db import make_engine, make_sessionmaker

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db:
        db.execute(
            update(tables.Guardian)
            .where(tables.Guardian.first_name == "Jordan")
            .values(last_name="Rivera [/b]")
        )
        db.execute(
            update(tables.Student)
            .where(tables.Student.first_name == "Ava")
            .values(first_name="Ava [bold red]")
        )
        db.commit()
    engine.dispose()
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await sign_in(pilot)
            await until(pilot, lambda: "Ava [bold red] Rivera" in screen_text(pilot))
            assert isinstance(app.screen, MainScreen)
            app.screen.query_one(TabbedContent).active = "account-info"
            await until(pilot, lambda: "Jordan Rivera [/b]" in screen_text(pilot))


async def test_not_remembering_the_location_is_no_error_in_the_tab(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The location is remembered on this machine; if that fails, the portal did not."""
    from portal_tui import state

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(state, "remember_location", broken)
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        other = next(loc.id for loc in screen.portal.locations if loc.id != screen.location_id)
        screen.location_id = other
        await until(pilot, lambda: not screen.workers or all(w.is_finished for w in screen.workers))
        assert not screen.query(".tab-error")
        assert "disk full" not in screen_text(pilot)
