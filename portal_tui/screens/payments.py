"""Payments tab: what the account owes and how its figures relate (Outstanding − Credit =
Balance, for the whole account), the last payment, Make Payment and Apply Credit — or one
clear notice when the account takes no online payments, or why this guardian may not pay."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Static

from portal_tui.api import errors
from portal_tui.commands import PaletteCommand
from portal_tui.screens.history import HistoryTab
from portal_tui.screens.payment_form import MakePaymentForm, ReceiptScreen
from portal_tui.screens.payment_methods import PaymentMethodsPanel
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import safe
from portal_tui.wire.account import AccountSummary
from portal_tui.wire.payments import CreditPlan, PaymentOptions, PaymentReceipt

NO_ONLINE_PAYMENTS = (
    "This account does not accept online payments. "
    "Please pay at the front desk or contact the business."
)
NOT_PERMITTED = (
    "Make Payment is not available to you: only the primary guardian, or a guardian they "
    "allow to make payments, can pay online. Ask the primary guardian for permission."
)
SCOPE = "Whole account, every location (Transaction History can show one location)."
CREDIT_UNKNOWN = "The credit may have been applied: the figures are loaded again."
APPLYING = "Credit is being applied: wait for its answer, then try again."
PREVIEW_LINES = 6
"""Charges listed by name in the Apply Credit question; the rest are counted."""


class PaymentsTab(AccountTab):
    """The account's figures, its last payment, and the payment actions the caller has."""

    TAB_ID = "payments"
    TITLE = "Payments"
    DESCRIPTION = "Outstanding balance, credit, the last payment; Make Payment"
    BINDINGS = [
        Binding("p", "make_payment", "Make Payment", id="make-payment"),
        Binding("c", "apply_credit", "Apply Credit", id="apply-credit"),
    ]

    summary: AccountSummary | None = None
    applying = False
    """Apply Credit was sent and its answer is awaited: nothing cancels it, and Apply
    Credit is refused meanwhile."""
    location_id: reactive[int | None] = reactive(None, init=False)
    """The header's selected location (bound from the screen): a payment pays its charges."""

    def compose(self) -> ComposeResult:
        capabilities = self.family.capabilities
        with Vertical(id="figures"):
            yield Static(SCOPE, id="figures-scope")
            yield Static(id="outstanding", classes="figure")
            if capabilities.credit:
                yield Static(id="credit", classes="figure")
                yield Static(id="balance", classes="figure")
            yield Static(id="last-payment", classes="figure")
            if capabilities.make_payments:
                yield Static(id="location-owed", classes="figure")
        if not capabilities.online_payments:
            yield Static(NO_ONLINE_PAYMENTS, id="no-online-payments")
        elif not capabilities.make_payments:
            yield Static(NOT_PERMITTED, id="no-payment-permission")
        with Horizontal(id="payment-actions"):
            if capabilities.make_payments:
                yield Button("Make Payment", id="make-payment", compact=True)
            if capabilities.apply_credit:
                yield Button("Apply Credit", id="apply-credit", compact=True)
        yield ActionMessage(id="payments-message", keep="payments")
        if PaymentMethodsPanel.enabled(capabilities):
            yield PaymentMethodsPanel(self.family, id="payment-methods")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "make_payment":
            return self.family.capabilities.make_payments
        if action == "apply_credit":
            return self.family.capabilities.apply_credit
        return True

    def watch_location_id(self) -> None:
        if self.summary is not None:
            self.reload()

    async def fetch(self) -> None:
        summary = await self.family.api.account()
        here = None
        if self.family.capabilities.make_payments and self.location_id is not None:
            here = await self.family.api.payments.options(self.location_id)
        self.show_summary(summary)
        for line in self.query("#location-owed").results(Static):
            line.display = here is not None
            if here is not None:
                owed = format_cents(here.owed_cents, self.family.business.currency_symbol)
                line.update(
                    safe(
                        f"{self._place()}: owed {owed} — Make Payment pays this location's charges"
                    )
                )
        for panel in self.query(PaymentMethodsPanel):
            if panel.ready:  # loaded before: a refresh reads the methods again too
                panel.reload()

    def _place(self) -> str:
        """The selected location's name."""
        return self.portal.location_name(self.location_id) or ""

    def show_summary(self, summary: AccountSummary) -> None:
        self.summary = summary
        symbol = self.family.business.currency_symbol

        def money(cents: int) -> str:
            return format_cents(cents, symbol).rjust(12)

        self.query_one("#outstanding", Static).update(
            safe(f"Outstanding  {money(summary.outstanding_cents)}   charges not yet paid")
        )
        for credit in self.query("#credit").results(Static):
            shown = money(summary.credit_cents or 0)
            credit.update(safe(f"Credit       {shown}   paid or credited, not yet applied"))
        for balance in self.query("#balance").results(Static):
            shown = money(summary.balance_cents)
            balance.update(safe(f"Balance      {shown}   = Outstanding − Credit"))
        last = summary.last_payment
        for button in self.query("#apply-credit").results(Button):
            button.display = bool(summary.credit_cents)
        self.query_one("#last-payment", Static).update(
            safe(f"Last payment {format_cents(last.amount_cents, symbol)} on {last.paid_on}")
            if last
            else "Last payment none yet"
        )

    def _message(self) -> ActionMessage:
        return self.query_one("#payments-message", ActionMessage)

    def _changed(self) -> None:
        """Money moved: the figures load again, and the ledger when next shown."""
        for history in self.screen.query(HistoryTab):
            history.stale()
        self.reload()

    # Make Payment

    @on(Button.Pressed, "#make-payment")
    def action_make_payment(self) -> None:
        if self.family.capabilities.make_payments:
            self.run_worker(self._open_payment(), group="pay", exclusive=True, exit_on_error=False)

    async def _open_payment(self) -> None:
        try:
            options = await self.family.api.payments.options(self.location_id)
        except Exception as error:
            self._message().failed(error, resume=self.action_make_payment)
            return
        if options.owed_cents <= 0:
            self._message().refused(self._nothing_owed(options))
            return
        self._message().clear()
        symbol = self.family.business.currency_symbol
        form = MakePaymentForm(
            self.family.api.payments, options, symbol, self.location_id, self._place()
        )
        self.app.push_screen(form, partial(self._paid, form))

    def _nothing_owed(self, options: PaymentOptions) -> str:
        if options.location_id is None:
            return "Nothing is owed: there is nothing to pay."
        return (
            f"{self._place()} is owed nothing: there is nothing to pay here. "
            "Press Ctrl+L to pick another location."
        )

    def _paid(self, form: MakePaymentForm, result: object) -> None:
        if not isinstance(result, PaymentReceipt):
            return
        symbol = self.family.business.currency_symbol
        amount = format_cents(result.amount_cents, symbol)
        what = "This payment was already made" if form.already_made else "Paid"
        self._message().done(
            f"{what}: {amount} with {result.brand} ••{result.last4}. Reference {result.reference}."
        )
        self._changed()
        title = f"{what} — receipt" if form.already_made else "Payment received — receipt"
        self.app.push_screen(ReceiptScreen(result, symbol, title))

    # Apply Credit

    @on(Button.Pressed, "#apply-credit")
    def action_apply_credit(self) -> None:
        if not self.family.capabilities.apply_credit:
            return
        if self.applying:
            self._message().refused(APPLYING)
            return
        self.run_worker(self._preview(), group="credit", exclusive=True, exit_on_error=False)

    async def _preview(self) -> None:
        try:
            plan = await self.family.api.payments.credit_preview()
        except Exception as error:
            self._message().failed(error, resume=self.action_apply_credit)
            return
        if not plan.lines:
            self._message().refused("There is no credit to apply to outstanding charges.")
            return
        self.app.push_screen(
            ConfirmScreen(self._question(plan), confirm="Apply Credit"),
            partial(self._answered, plan),
        )

    def _question(self, plan: CreditPlan) -> str:
        """The preview: the total, and each charge it pays with how much (one paragraph: the
        dialog's text is one line of safe text)."""
        symbol = self.family.business.currency_symbol
        lines = [
            f"{line.entry_date} {line.description}: {format_cents(line.amount_cents, symbol)}"
            for line in plan.lines[:PREVIEW_LINES]
        ]
        if len(plan.lines) > PREVIEW_LINES:
            lines.append(f"and {len(plan.lines) - PREVIEW_LINES} more charges")
        total = format_cents(plan.total_cents, symbol)
        credit = format_cents(plan.credit_cents, symbol)
        return (
            f"Apply {total} of your {credit} credit to these charges, oldest first? "
            + "; ".join(lines)
            + "."
        )

    def _answered(self, plan: CreditPlan, confirmed: bool | None) -> None:
        if confirmed and not self.applying:
            self.applying = True
            self._message().done("Applying credit…")
            self.run_worker(self._apply(plan), group="apply-credit", exit_on_error=False)

    async def _apply(self, plan: CreditPlan) -> None:
        """Apply Credit, in a worker of its own that no other action cancels."""
        try:
            applied = await self.family.api.payments.apply_credit(plan)
        except Exception as error:
            refused = isinstance(error, errors.Conflict | errors.ValidationFailed)
            unchanged = "No credit was applied." if refused else CREDIT_UNKNOWN
            self._message().failed(error, resume=self.action_apply_credit, unchanged=unchanged)
            self._changed()
            return
        finally:
            self.applying = False
        total = format_cents(applied.total_cents, self.family.business.currency_symbol)
        count = len(applied.lines)
        self._message().done(
            f"Applied {total} of credit to {count} charge{'s' if count != 1 else ''}."
        )
        self._changed()

    def palette_commands(self) -> Iterator[PaletteCommand]:
        for panel in self.query(PaymentMethodsPanel):
            yield from panel.commands()
        if self.family.capabilities.make_payments:
            yield PaletteCommand(
                "Make Payment", "Pay what the account owes, or part of it", self._from_palette
            )
        if self.family.capabilities.apply_credit:
            yield PaletteCommand(
                "Apply Credit",
                "Apply the account's credit to its outstanding charges",
                partial(self._from_palette, credit=True),
            )

    def _from_palette(self, *, credit: bool = False) -> None:
        self.show_tab()
        self.when_ready(self.action_apply_credit if credit else self.action_make_payment)
