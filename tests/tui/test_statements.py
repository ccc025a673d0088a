"""Transaction History's reports in the app at 80×24, against the real server: each offered
by its label only when its setting is on, each shown on its own screen with its totals, and a
period that runs backwards refused in place before anything is sent, the typed dates kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from portal_tui.screens.main import MainScreen
from portal_tui.screens.statements import LEDGER, PAYMENTS, STATEMENT, PeriodForm, ReportScreen
from portal_tui.widgets.form import FormField
from portal_tui.wire.statements import LedgerReport, PaymentStatement, Statement
from tests import servers
from tests.tui.pilot import fill, make, open_account, palette, screen_text, until

SIZE = (80, 24)


class Counting(httpx.AsyncBaseTransport):
    """The network between app and server, counting the requests to each path's end."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def count_requests(screen: MainScreen) -> Counting:
    http = screen.family.portal.client._http
    counting = Counting(http._transport)
    http._transport = counting
    return counting


@asynccontextmanager
async def open_app(sqlite_url: str, **settings: str) -> AsyncIterator[Pilot[None]]:
    if settings:
        servers.set_settings(sqlite_url, **settings)
    with servers.live_server(sqlite_url) as url:
        async with make(url).run_test(size=SIZE) as pilot:
            await open_account(pilot)
            yield pilot


@pytest.fixture
async def pilot(sqlite_url: str) -> AsyncIterator[Pilot[None]]:
    """My Account at 80×24 with the demo's settings (statements and ledgers on, the last 30
    days only)."""
    async with open_app(sqlite_url) as pilot:
        yield pilot


def labels(pilot: Pilot[None]) -> set[str]:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return {command.label for command in screen.palette_commands()}


async def report_shown(pilot: Pilot[None]) -> ReportScreen:
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, ReportScreen) and pilot.app.screen.ready,
    )
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    await pilot.pause()
    return screen


def field_error(pilot: Pilot[None], name: str) -> str:
    field = pilot.app.screen.query_one(f"#field-{name}", FormField)
    return str(field.query_one(".field-error").render())


async def test_the_statement_shows_what_this_location_owes_and_escape_goes_back(
    pilot: Pilot[None],
) -> None:
    assert {STATEMENT, LEDGER, PAYMENTS} <= labels(pilot)
    await palette(pilot, STATEMENT)
    screen = await report_shown(pilot)
    report = screen.report
    assert isinstance(report, Statement)
    text = screen_text(pilot)
    location = report.heading.location_name
    assert location and location in text
    assert "Total owed" in text
    assert f"${report.total_owed_cents // 100:,}.{report.total_owed_cents % 100:02d}" in text
    for line in report.lines:  # every description whole, wrapped if need be
        assert line.description.split()[-1] in text
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))


async def test_without_full_history_the_ledger_is_the_last_30_days_with_no_date_picker(
    pilot: Pilot[None],
) -> None:
    await palette(pilot, LEDGER)
    screen = await report_shown(pilot)
    report = screen.report
    assert isinstance(report, LedgerReport)
    assert (report.end - report.start).days == 29 and not report.full_history
    text = screen_text(pilot)
    assert "(the last 30 days)" in text
    assert "Closing balance" in text


async def test_reports_whose_settings_are_off_are_not_offered(sqlite_url: str) -> None:
    async with open_app(sqlite_url, statements="false", ledgers="false") as pilot:
        offered = labels(pilot)
        assert STATEMENT not in offered and LEDGER not in offered
        assert PAYMENTS in offered  # no setting turns it off


async def test_with_full_history_the_ledger_is_of_the_dates_chosen(sqlite_url: str) -> None:
    async with open_app(sqlite_url, full_ledger_history="true") as pilot:
        await palette(pilot, LEDGER)
        await until(pilot, lambda: isinstance(pilot.app.screen, PeriodForm))
        await fill(pilot, "#field-start Input", "2025-01-01")
        await fill(pilot, "#field-end Input", "2026-02-28")
        await pilot.press("ctrl+s")
        screen = await report_shown(pilot)
        report = screen.report
        assert isinstance(report, LedgerReport)
        assert (report.start.isoformat(), report.end.isoformat()) == ("2025-01-01", "2026-02-28")
        assert report.lines
        assert "2025-01-01 to 2026-02-28" in screen_text(pilot)


@pytest.mark.parametrize("label", [LEDGER, PAYMENTS])
async def test_a_period_that_runs_backwards_is_refused_in_place_and_nothing_is_sent(
    sqlite_url: str, label: str
) -> None:
    async with open_app(sqlite_url, full_ledger_history="true") as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        counting = count_requests(screen)
        await palette(pilot, label)
        await until(pilot, lambda: isinstance(pilot.app.screen, PeriodForm))
        await fill(pilot, "#field-start Input", "2025-12-31")
        await fill(pilot, "#field-end Input", "2025-01-01")
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: "must be on or after the start date" in field_error(pilot, "end")
        )
        form = pilot.app.screen
        assert isinstance(form, PeriodForm)
        assert form.query_one("#field-start Input", Input).value == "2025-12-31"
        assert form.query_one("#field-end Input", Input).value == "2025-01-01"
        assert not any(p.endswith(("ledger-report", "payment-statement")) for p in counting.paths)
        await fill(pilot, "#field-start Input", "2025-13-01")
        await until(pilot, lambda: "YYYY-MM-DD" in field_error(pilot, "start"))
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, PeriodForm)
        assert not any(p.endswith(("ledger-report", "payment-statement")) for p in counting.paths)


async def test_the_payment_statement_lists_last_years_payments_with_their_total(
    pilot: Pilot[None],
) -> None:
    await palette(pilot, PAYMENTS)
    await until(pilot, lambda: isinstance(pilot.app.screen, PeriodForm))
    await fill(pilot, "#field-start Input", "2025-01-01")
    await fill(pilot, "#field-end Input", "2025-12-31")
    await pilot.press("ctrl+s")
    screen = await report_shown(pilot)
    report = screen.report
    assert isinstance(report, PaymentStatement)
    assert report.lines and report.total_cents == sum(line.amount_cents for line in report.lines)
    text = screen_text(pilot)
    assert "••4242" in text
    assert "4242424242424242" not in text


async def test_a_setting_turned_off_meanwhile_is_explained_in_place_and_refresh_reads_again(
    sqlite_url: str,
) -> None:
    async with open_app(sqlite_url) as pilot:
        servers.set_settings(sqlite_url, statements="false")
        await palette(pilot, STATEMENT)
        await until(pilot, lambda: "not offered" in screen_text(pilot))
        screen = pilot.app.screen
        assert isinstance(screen, ReportScreen) and screen.report is None
        servers.set_settings(sqlite_url, statements="true")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.ready and "Total owed" in screen_text(pilot))
        assert "not offered" not in screen_text(pilot)
