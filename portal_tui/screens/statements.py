"""Transaction History's reports, shown in the app: "Generate Statement for This Location",
"Generate Ledger for This Location" (a period is chosen only where the business shows full
ledger history; otherwise the server's last 30 days) and "Payment Statement" (any period,
last year by default). A period is chosen in a form; the report opens on its own screen,
whose long cells wrap, and Escape goes back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from rich.console import RenderableType
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.messages import SessionEnded
from portal_tui.screens.report_export import ReportExportForm
from portal_tui.screens.report_tables import Report, view_of
from portal_tui.signed_in import OpenFamily
from portal_tui.widgets.dates import date_input, typed_date
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.rendered_lines import RenderedLines
from portal_tui.widgets.safe import safe
from portal_tui.wire.statements import LEDGER_DAYS, Period

STATEMENT = "Generate Statement for This Location"
LEDGER = "Generate Ledger for This Location"
PAYMENTS = "Payment Statement"

R = TypeVar("R", bound=Report)


class ReportScreen(Screen[None]):
    """One report: its heading and table (scrolled), and its totals always in view; read in
    a worker when not given."""

    CSS_PATH = "statements.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="report-back"),
        Binding("ctrl+r", "refresh", "Refresh", id="report-refresh"),
        Binding("ctrl+s", "save", "Save as PDF or CSV", id="report-save"),
    ]
    AUTO_FOCUS = "#report-body"

    def __init__(
        self,
        title: str,
        *,
        report: Report | None = None,
        load: Callable[[], Awaitable[Report]] | None = None,
    ) -> None:
        super().__init__()
        self.report_title = title
        self.report = report
        self.load = load
        self.ready = False
        """The report's table is on screen."""

    def compose(self) -> ComposeResult:
        yield Static(safe(self.report_title), id="report-title")
        with VerticalScroll(id="report-body"):
            yield Static(id="report-heading")
            yield RenderedLines(id="report-table")
        yield Static(id="report-totals")
        yield Static(id="report-saved")
        yield Footer()

    def on_mount(self) -> None:
        if self.report is not None:
            self.show(self.report)
        else:
            self.read()

    def read(self) -> None:
        """Read the report (again), showing that it is under way."""
        if self.load is None:
            return
        body = self.query_one("#report-body", VerticalScroll)
        for error in self.query(".report-error"):
            error.remove()
        body.loading = True
        self.run_worker(self._read(), group="report", exclusive=True, exit_on_error=False)

    async def _read(self) -> None:
        assert self.load is not None
        self.show(await self.load())

    def show(self, report: Report) -> None:
        """Show `report`: its heading and totals at once, its table once its lines are
        rendered (off the UI thread: a long report has thousands of rows)."""
        self.report, self.ready = report, False
        view = view_of(report)
        self.query_one("#report-heading", Static).update(_lines(view.heading))
        self.query_one("#report-totals", Static).update(safe(view.totals))
        self.query_one("#report-body", VerticalScroll).loading = True
        self.run_worker(self._draw(view.table or safe(view.empty)), group="draw", exclusive=True)

    async def _draw(self, table: RenderableType) -> None:
        await self.query_one("#report-table", RenderedLines).show(table)
        self.query_one("#report-body", VerticalScroll).loading = False
        self.ready = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read says why in place; an ended session asks for the password, then
        reads again."""
        if event.worker.group != "report" or event.state is not WorkerState.ERROR:
            return
        body = self.query_one("#report-body", VerticalScroll)
        body.loading = False
        failure = explain(event.worker.error)
        message = failure.message
        if failure.remedy is Remedy.RETRY:
            message += " Press Ctrl+R to retry."
        body.mount(Static(safe(message), classes="report-error"), before=0)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=self.read))

    def action_refresh(self) -> None:
        """Read the report again (after a failure, or to see new entries)."""
        self.read()

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """The report's own actions, by the labels its footer shows."""
        yield PaletteCommand("Save as PDF or CSV", "Save this report as files", self.action_save)
        yield PaletteCommand("Refresh", "Read this report again", self.action_refresh)
        yield PaletteCommand("Back", "Close this report", self.action_close)

    def action_save(self) -> None:
        """Save the report as shown, as PDF, CSV or both, in a folder the user picks."""
        if self.report is None:
            self.notify("The report has not been read yet.", markup=False)
            return
        self.app.push_screen(ReportExportForm(view_of(self.report).document), self._saved)

    def _saved(self, paths: object) -> None:
        if isinstance(paths, list) and paths:
            saved = self.query_one("#report-saved", Static)
            saved.update(safe("Saved " + " and ".join(str(path) for path in paths)))
            saved.add_class("-shown")


def _lines(lines: list[str]) -> Content:
    return Content("\n").join(safe(line) for line in lines)


class PeriodForm(FormScreen[Period, R], Generic[R]):
    """The days a report covers (start on or before end, checked before anything is sent);
    Generate reads the report and returns it, the server's errors under the fields."""

    CSS_PATH = "statements.tcss"

    def __init__(
        self, title: str, intro: str, period: Period, fetch: Callable[[Period], Awaitable[R]]
    ) -> None:
        super().__init__(title, submit_label="Generate")
        self.intro = intro
        self.period = period
        self.fetch = fetch

    def compose_fields(self) -> ComposeResult:
        yield Static(safe(self.intro), classes="form-intro")
        with Horizontal(classes="pair"):
            yield FormField("Start date", date_input(self.period.start), name="start")
            yield FormField("End date", date_input(self.period.end), name="end")

    def _typed(self, name: str) -> date:
        control = self.fields()[name].control
        assert isinstance(control, Input)
        return typed_date(control.value)

    def build_request(self) -> Period:
        return Period(start=self._typed("start"), end=self._typed("end"))

    async def save(self, request: Period) -> R:
        self.period = request  # the report's screen reads it again for this period
        return await self.fetch(request)


def _today(family: OpenFamily) -> date:
    """The business's date on this machine's clock (a form's first guess; the server's
    date is the one a report is made on)."""
    return datetime.now(ZoneInfo(family.business.time_zone)).date()


def _open(app: App[Any], title: str, load: Callable[[], Awaitable[Report]]) -> None:
    app.push_screen(ReportScreen(title, load=load))


def _choose_then_open(app: App[Any], form: PeriodForm[Any], title: str) -> None:
    """The period form; the report it returns opens on its own screen."""

    def chosen(report: Report | object | None) -> None:
        if isinstance(report, Report):
            load = partial(form.fetch, form.period)
            app.push_screen(ReportScreen(title, report=report, load=load))

    app.push_screen(form, chosen)


def open_ledger(app: App[Any], family: OpenFamily, location_id: int, where: str) -> None:
    """The location's ledger: of a chosen period with full ledger history, else at once
    of the last 30 days (no dates are sent: the server decides them)."""
    api = family.api.statements
    title = f"Ledger · {where}"
    if not family.capabilities.full_ledger_history:
        _open(app, title, partial(api.ledger, location_id))
        return
    today = _today(family)
    last_days = Period(start=today - timedelta(days=LEDGER_DAYS - 1), end=today)
    intro = f"The ledger of {where} between two dates, both included."
    form = PeriodForm(LEDGER, intro, last_days, partial(api.ledger, location_id))
    _choose_then_open(app, form, title)


def open_payment_statement(app: App[Any], family: OpenFamily) -> None:
    """Every payment of a chosen period (last year by default), at every location."""
    year = _today(family).year - 1
    last_year = Period(start=date(year, 1, 1), end=date(year, 12, 31))
    intro = "Every payment between two dates (both included), at every location."
    form = PeriodForm(PAYMENTS, intro, last_year, family.api.statements.payments)
    _choose_then_open(app, form, "Payment Statement")


def report_commands(
    app: App[Any], family: OpenFamily, location_id: int | None
) -> Iterator[PaletteCommand]:
    """The reports the caller may generate, by their labels; the location ones for the
    header's selected location."""
    caps = family.capabilities
    where = family.portal.location_name(location_id)
    if location_id is not None and where is not None:
        if caps.statements:
            load = partial(family.api.statements.statement, location_id)
            yield PaletteCommand(
                STATEMENT,
                "What this location's charges still owe as of today, with the total",
                partial(_open, app, f"Statement · {where}", load),
            )
        if caps.ledgers:
            yield PaletteCommand(
                LEDGER,
                "This location's charges and payments with the running balance",
                partial(open_ledger, app, family, location_id, where),
            )
    yield PaletteCommand(
        PAYMENTS,
        "Every payment of a period (e.g. last year), with the total",
        partial(open_payment_statement, app, family),
    )
