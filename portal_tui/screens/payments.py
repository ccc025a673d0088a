"""Payments tab: the outstanding balance, credit and the last payment, and a clear notice
when the account takes no online payments."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import ComposeResult
from textual.widgets import Static

from portal_tui.commands import PaletteCommand
from portal_tui.screens.payment_methods import PaymentMethodsPanel
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import safe
from portal_tui.wire.account import AccountSummary


class PaymentsTab(AccountTab):
    """What the family owes, its credit (where the setting shows it), and its last payment."""

    TAB_ID = "payments"
    TITLE = "Payments"
    DESCRIPTION = "Outstanding balance, credit and the last payment"

    def compose(self) -> ComposeResult:
        yield Static(id="outstanding", classes="figure")
        if self.family.capabilities.credit:
            yield Static(id="credit", classes="figure")
        yield Static(id="last-payment", classes="figure")
        if not self.family.capabilities.online_payments:
            yield Static(
                "This account does not accept online payments. "
                "Please pay at the front desk or contact the business.",
                id="no-online-payments",
            )
        if PaymentMethodsPanel.enabled(self.family.capabilities):
            yield PaymentMethodsPanel(self.family, id="payment-methods")

    def palette_commands(self) -> Iterator[PaletteCommand]:
        for panel in self.query(PaymentMethodsPanel):
            yield from panel.commands()

    async def fetch(self) -> None:
        self.show_summary(await self.family.api.account())
        for panel in self.query(PaymentMethodsPanel):
            if panel.ready:  # loaded before: a refresh reads the methods again too
                panel.reload()

    def show_summary(self, summary: AccountSummary) -> None:
        symbol = self.family.business.currency_symbol
        self.query_one("#outstanding", Static).update(
            safe(f"Outstanding  {format_cents(summary.outstanding_cents, symbol)}")
        )
        for credit in self.query("#credit").results(Static):
            credit.display = summary.credit_cents is not None
            shown = format_cents(summary.credit_cents or 0, symbol)
            credit.update(safe(f"Credit       {shown}"))
        last = summary.last_payment
        self.query_one("#last-payment", Static).update(
            safe(f"Last payment {format_cents(last.amount_cents, symbol)} on {last.paid_on}")
            if last
            else "Last payment none yet"
        )
