"""The balance chart: a location's balance over time, drawn in the terminal (plotext), with
the figures it is drawn from said in words beside it, so it reads without colour too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui.api.family import FamilyApi
from portal_tui.messages import SessionEnded
from portal_tui.widgets.confirm import AcknowledgeScreen
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import plain, safe
from portal_tui.wire.balances import BalanceHistory

POINTS = 160
"""Samples asked for: more than the chart is wide at 80 columns, few enough to be instant."""
TICKS = 5


def summary(history: BalanceHistory, symbol: str) -> str:
    """The chart in words: its span, the balance now, and the highest and lowest of the
    balances drawn (samples, when the ledger has more entries than the chart has points)."""
    points = history.points
    if not points:
        return "No transactions at this location yet."
    high = max(points, key=lambda p: p.balance_cents)
    low = min(points, key=lambda p: p.balance_cents)
    now = points[-1]
    drawn = "drawn " if history.entries > len(points) else ""
    return (
        f"{history.entries:,} entries from {points[0].on.isoformat()} to {now.on.isoformat()}. "
        f"Balance now {format_cents(now.balance_cents, symbol)}; "
        f"highest {drawn}{format_cents(high.balance_cents, symbol)} ({high.on.isoformat()}), "
        f"lowest {format_cents(low.balance_cents, symbol)} ({low.on.isoformat()})."
    )


class BalanceChartScreen(AcknowledgeScreen):
    """The selected location's balance after each day's entries, oldest to newest."""

    CSS_PATH = "balance_chart.tcss"

    def __init__(self, api: FamilyApi, location_id: int, location: str, symbol: str) -> None:
        super().__init__(done="Close")
        self.api = api
        self.location_id = location_id
        self.location = location
        self.symbol = plain(symbol)  # it reaches the chart's axis labels too

    def compose_body(self) -> ComposeResult:
        # Imported here: plotext is only needed once a chart is opened (start-up stays lean).
        from textual_plotext import PlotextPlot

        yield Static(safe(f"Balance over time · {self.location}"), id="chart-title")
        yield PlotextPlot(id="chart")
        yield Static("Loading the balance history…", id="chart-summary")

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        if self.is_attached:
            self.query_one("#chart").loading = True
            self.run_worker(self._read(), exclusive=True, exit_on_error=False)

    async def _read(self) -> None:
        history = await self.api.balance_history(self.location_id, POINTS)
        self._draw(history)

    def _draw(self, history: BalanceHistory) -> None:
        from textual_plotext import PlotextPlot

        chart = self.query_one("#chart", PlotextPlot)
        chart.loading = False
        self.query_one("#chart-summary", Static).update(safe(summary(history, self.symbol)))
        plt = chart.plt
        plt.clear_data()
        plt.date_form("Y-m-d")
        if history.points:
            days = [p.on.isoformat() for p in history.points]
            cents = [p.balance_cents for p in history.points]
            plt.plot(days, [c / 100 for c in cents], marker="braille")  # drawing only
            low, high = min(cents), max(cents)
            step = max(1, (high - low) // (TICKS - 1))
            ticks = sorted({low + step * i for i in range(TICKS)} | {high})
            plt.yticks([t / 100 for t in ticks], [format_cents(t, self.symbol) for t in ticks])
        chart.refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """No history: say why in the chart's place; an ended session asks for the password
        and then reads it again."""
        if event.state is not WorkerState.ERROR or not self.is_attached:
            return
        self.query_one("#chart").loading = False
        failure = explain(event.worker.error)
        status = self.query_one("#chart-summary", Static)
        status.update(safe(failure.message))
        status.add_class("-error")
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=self._load))
