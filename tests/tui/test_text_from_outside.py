"""Text from the server reaches the terminal only through the sanitizer: no escape sequence
in a name or a description can retitle the terminal or clear the screen."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from portal_tui.api.errors import ServerError
from portal_tui.screens.main import MainScreen
from portal_tui.screens.report_export import ReportExportForm
from portal_tui.screens.statements import ReportScreen
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.ledger_table import LedgerTable
from tests import servers
from tests.tui.pilot import fill, first_rows, make, palette, screen_text, sign_in, until

EVIL = "\x1b]2;pwned\x07\x1b[2J"
"""An OSC "set the window title" and a CSI "erase the screen"."""
SHOWN = "]2;pwned[2J"
"""What is left of EVIL once its control characters are gone."""


def terminal_output(pilot: Pilot[None]) -> str:
    """The text of every segment the screen would write to the terminal."""
    strips = pilot.app.screen._compositor.render_strips()
    return "".join(segment.text for strip in strips for segment in strip)


def assert_no_escapes(pilot: Pilot[None]) -> None:
    output = terminal_output(pilot)
    assert "\x1b" not in output and "\x07" not in output


def poison(db_url: str) -> None:
    """Write EVIL into the seeded data the way a bad import or another client could."""
    from sqlalchemy import update

    from portal_tui.server import tables
    from portal_tui.server.db import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        db.execute(
            update(tables.Student)
            .where(tables.Student.first_name == "Ava")
            .values(first_name=f"Ava{EVIL}")
        )
        db.execute(
            update(tables.LedgerEntry).values(description=tables.LedgerEntry.description + EVIL)
        )
        db.execute(
            update(tables.User)
            .where(tables.User.display_name == "Jordan Rivera")
            .values(display_name=f"Jordan{EVIL} Rivera")
        )
        db.execute(
            update(tables.Location)
            .where(tables.Location.name == "Northside")
            .values(name=f"Northside{EVIL}")
        )
        db.execute(update(tables.Business).values(name=tables.Business.name + EVIL))
        db.commit()
    engine.dispose()


async def test_escapes_from_the_server_never_reach_the_terminal(sqlite_url: str) -> None:
    poison(sqlite_url)
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await sign_in(pilot)
            await until(pilot, lambda: f"Ava{SHOWN} Rivera" in screen_text(pilot))
            screen = app.screen
            assert isinstance(screen, MainScreen)
            shown = screen_text(pilot)
            assert f"Academy{SHOWN}" in shown  # the business, in the header
            assert f"Jordan{SHOWN} Rivera" in shown  # the signed-in guardian, in the header
            assert_no_escapes(pilot)

            screen.query_one(TabbedContent).active = "history"
            table = screen.query_one(LedgerTable)
            await until(pilot, lambda: first_rows(table) and SHOWN in screen_text(pilot))
            assert all(
                EVIL in row.description for row in first_rows(table)
            )  # the data is as stored
            assert_no_escapes(pilot)

            await pilot.press("ctrl+l")  # the location list (a long name wraps in it)
            await until(pilot, lambda: "Northside]2;pwned" in screen_text(pilot))
            assert_no_escapes(pilot)
            await pilot.press("escape")

            await pilot.press("ctrl+p")  # the palette offers "Location: Northside…"
            await pilot.press(*"Location")
            await until(pilot, lambda: f"Northside{SHOWN}" in screen_text(pilot))
            assert_no_escapes(pilot)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)

            screen._failed(None, ServerError(f"The portal said{EVIL}"))  # a notification
            await until(pilot, lambda: f"The portal said{SHOWN}" in screen_text(pilot))
            screen._failed(screen.query_one("#history-tab"), ServerError(f"Refused{EVIL}"))
            await until(pilot, lambda: f"Refused{SHOWN}" in screen_text(pilot))
            assert_no_escapes(pilot)


async def test_login_messages_and_fields_are_sanitized() -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#server"))
        server = f"http://portal.example.com/{EVIL}"
        app.screen.query_one("#server", Input).value = server
        await sign_in(pilot)
        await until(
            pilot, lambda: f"portal.example.com/{SHOWN} uses plain HTTP" in screen_text(pilot)
        )
        assert_no_escapes(pilot)
        assert app.screen.query_one("#server", Input).value == f"http://portal.example.com/{SHOWN}"


def saved_csv(folder: Path) -> str:
    """The text of the one CSV saved in `folder` (beside its PDF)."""
    saved = sorted(path.suffix for path in folder.iterdir() if path.suffix in (".csv", ".pdf"))
    assert saved == [".csv", ".pdf"]
    return next(folder.glob("*.csv")).read_bytes().decode("utf-8-sig")


async def test_reports_their_files_and_the_chart_are_sanitized(
    sqlite_url: str, tmp_path: Path
) -> None:
    poison(sqlite_url)
    servers.set_settings(sqlite_url, full_ledger_history="true")
    with servers.live_server(sqlite_url) as url:
        async with make(url).run_test(size=(120, 40)) as pilot:
            await sign_in(pilot)
            await until(pilot, lambda: f"Ava{SHOWN} Rivera" in screen_text(pilot))
            await palette(pilot, "Generate Statement for This Location")
            await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen))
            report = pilot.app.screen
            assert isinstance(report, ReportScreen)
            await until(pilot, lambda: report.ready and SHOWN in screen_text(pilot))
            assert f"Academy{SHOWN}" in screen_text(pilot)
            assert_no_escapes(pilot)

            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(pilot.app.screen, ReportExportForm))
            pilot.app.screen.query_one("#format", Choice).value = "PDF and CSV"
            await fill(pilot, "#folder", str(tmp_path))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "Saved " in screen_text(pilot))
            text = saved_csv(tmp_path)
            assert SHOWN in text and "\x1b" not in text and "\x07" not in text
            await pilot.press("escape")

            await palette(pilot, "Balance Chart")
            await until(pilot, lambda: "Balance now" in screen_text(pilot))
            assert_no_escapes(pilot)
