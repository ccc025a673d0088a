"""Go to Date: a day typed in place (a bad one is named under the field and kept there); the
answer is where the newest entry on or before that day stands in the ledger shown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from textual.app import ComposeResult

from portal_tui.widgets.dates import date_input, typed_date
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import PlainInput
from portal_tui.wire.ledger import LedgerPosition

Find = Callable[[date], Awaitable[LedgerPosition]]
"""Asks the server where a day falls in the ledger shown (its filter and location)."""


class GoToDateForm(FormScreen[date, LedgerPosition]):
    """A date (YYYY-MM-DD); returns the position the server found for it."""

    def __init__(self, find: Find) -> None:
        super().__init__("Go to Date", submit_label="Go")
        self.find = find

    def compose_fields(self) -> ComposeResult:
        yield FormField("Date", date_input(id="go-to-date"), name="on")

    def build_request(self) -> date:
        control = self.fields()["on"].control
        assert isinstance(control, PlainInput)
        return typed_date(control.value)

    async def save(self, request: date) -> LedgerPosition:
        return await self.find(request)
