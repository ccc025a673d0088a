"""Make Payment: the amount (all that is owed, or less), a stored method or a new card or
bank account, and the receipt afterwards.

Each attempt carries one Idempotency-Key, kept until a decline (the only answer after which
the next Pay is a new payment): a lost answer is sent again with it (PaymentApi), a retry
after "try again" or after editing the amount or card reuses it, and when the server says
the key already paid it shows that receipt and closes — one attempt is charged once. A card
number, CVC or account number leaves its field when Pay is pressed: it lives only in the
request.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from portal_tui.api import errors
from portal_tui.api.payments import PaymentApi, new_attempt_key
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.confirm import AcknowledgeScreen
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.money import format_cents, parse_cents
from portal_tui.widgets.safe import plain, safe, safe_text
from portal_tui.wire.cards import (
    BankAccountType,
    NewBankAccount,
    NewCard,
    check_card_number,
    check_routing_number,
)
from portal_tui.wire.payments import PayableMethod, PaymentOptions, PaymentReceipt, PaymentRequest

NEW_CARD = "new-card"
NEW_BANK = "new-bank"
SECRET_FIELDS = ("number", "cvc", "account_number")
"""Fields emptied as soon as Pay is pressed: their values are never kept on screen."""


def method_label(method: PayableMethod) -> str:
    """A stored method in one line: brand, last four, expiry, whose (safe text)."""
    expiry = (
        f" exp {method.exp_month:02d}/{method.exp_year}"
        if method.exp_month and method.exp_year
        else ""
    )
    return plain(f"{method.brand} ••{method.last4}{expiry} · {method.guardian_name}")


def _month(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise ValueError("A month from 01 to 12.")
    return int(value)


def _year(value: str) -> int:
    if len(value) != 4 or not value.isdigit():
        raise ValueError("Four digits, e.g. 2028.")
    return int(value)


def _cvc(value: str) -> str:
    if not value.isdigit() or len(value) not in (3, 4):
        raise ValueError("The 3 or 4 digits on the card.")
    return value


def _account(value: str) -> str:
    if not value.isdigit() or not 4 <= len(value) <= 17:
        raise ValueError("4 to 17 digits.")
    return value


class MakePaymentForm(FormScreen[PaymentRequest, PaymentReceipt]):
    """Pay all that is owed or a chosen amount, with a stored method or a new one."""

    CSS_PATH = "payment_form.tcss"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("ctrl+s", "save", "Pay", id="form-save"),
    ]

    def __init__(
        self,
        api: PaymentApi,
        options: PaymentOptions,
        symbol: str,
        location_id: int | None,
        location_name: str = "",
    ) -> None:
        self.api = api
        self.options = options
        self.symbol = symbol
        self.location_id = location_id
        """The selected location: the payment pays its charges and is taken there."""
        self.location_name = location_name
        self.attempt_key = new_attempt_key()
        """This attempt's Idempotency-Key; a new one only after a decline."""
        self.already_made = False
        """The server answered that this attempt's key had already paid: the result is
        that earlier payment's receipt."""
        super().__init__("Make Payment", submit_label="Pay")

    def compose_fields(self) -> ComposeResult:
        yield Static(safe(self._owed_line()), id="payment-owed")
        amount = line_input(check=self._amount)
        amount.value = format_cents(self.options.owed_cents, "")
        yield FormField("Amount", amount, name="amount_cents")
        choices: list[tuple[Text | str, int | str]] = [
            (safe_text(method_label(m)), m.id) for m in self.options.methods
        ]
        choices.append(("New card", NEW_CARD))
        if self.options.bank_accounts:
            choices.append(("New bank account", NEW_BANK))
        pay_with: Choice[int | str] = Choice(
            choices, value=choices[0][1], allow_blank=False, compact=True, id="pay-with"
        )
        yield FormField("Pay with", pay_with, name="method")
        with Vertical(id="card-fields", classes="method-fields hidden"):
            yield FormField(
                "Card number", line_input(check=check_card_number, digits=23), name="number"
            )
            yield FormField(
                "Expiry month (MM)", line_input(check=_month, digits=2), name="exp_month"
            )
            yield FormField(
                "Expiry year (YYYY)", line_input(check=_year, digits=4), name="exp_year"
            )
            yield FormField("CVC", line_input(check=_cvc, password=True, digits=4), name="cvc")
        with Vertical(id="bank-fields", classes="method-fields hidden"):
            yield FormField(
                "Routing number",
                line_input(check=check_routing_number, digits=9),
                name="routing_number",
            )
            yield FormField(
                "Account number", line_input(check=_account, digits=17), name="account_number"
            )
            kinds: Choice[BankAccountType] = Choice(
                [("Checking", BankAccountType.CHECKING), ("Savings", BankAccountType.SAVINGS)],
                value=BankAccountType.CHECKING,
                allow_blank=False,
                compact=True,
            )
            yield FormField("Account type", kinds, name="account_type")

    def on_mount(self) -> None:
        self._show_method_fields()

    def _owed_line(self) -> str:
        """What may be paid, and how it comes from Outstanding and the Credit that pays it
        (a location's credit pays only its own charges)."""
        o = self.options
        owed = f"Owed {format_cents(o.owed_cents, self.symbol)}"
        if o.credit_cents:
            outstanding = format_cents(o.outstanding_cents, self.symbol)
            owed += f" (Outstanding {outstanding} less Credit "
            owed += f"{format_cents(o.credit_cents, self.symbol)})"
        if self.location_name:
            where = f"{self.location_name}'s charges. "
        else:
            where = "Every location's charges, each less its own credit. "
        return f"{where}{owed}: pay all of it or less."

    def _amount(self, text: str) -> int:
        cents = parse_cents(text, self.symbol)
        if cents <= 0:
            raise ValueError("More than zero.")
        if cents > self.options.owed_cents:
            owed = format_cents(self.options.owed_cents, self.symbol)
            raise ValueError(f"At most what is owed: {owed}.")
        return cents

    def _method(self) -> int | str:
        choice = self.query_one("#pay-with", Choice)
        value = choice.value
        assert isinstance(value, int | str)
        return value

    @on(Choice.Changed, "#pay-with")
    def _show_method_fields(self) -> None:
        method = self._method()
        self.query_one("#card-fields").set_class(method != NEW_CARD, "hidden")
        self.query_one("#bank-fields").set_class(method != NEW_BANK, "hidden")

    def _in_use(self) -> set[str]:
        """The fields of the method chosen (the others are not checked or sent)."""
        hidden = {
            name
            for name, field in self.fields().items()
            if any(a.has_class("hidden") for a in field.ancestors if a is not self)
        }
        return set(self.fields()) - hidden

    def local_errors(self) -> dict[str, str]:
        in_use = self._in_use()
        return {k: v for k, v in super().local_errors().items() if k in in_use}

    def _value(self, name: str) -> str:
        control = self.fields()[name].control
        assert isinstance(control, Input)
        return control.value.strip()

    def build_request(self) -> PaymentRequest:
        amount = self._amount(self._value("amount_cents"))
        method = self._method()
        if isinstance(method, int):
            return PaymentRequest(amount_cents=amount, method_id=method)
        if method == NEW_CARD:
            card = NewCard.model_validate(
                {
                    "number": self._value("number").replace(" ", ""),
                    "exp_month": _month(self._value("exp_month")),
                    "exp_year": _year(self._value("exp_year")),
                    "cvc": self._value("cvc"),
                }
            )
            return PaymentRequest(amount_cents=amount, new_card=card)
        kind = self.fields()["account_type"].control
        assert isinstance(kind, Choice)
        account = NewBankAccount.model_validate(
            {
                "routing_number": self._value("routing_number"),
                "account_number": self._value("account_number"),
                "account_type": kind.value,
            }
        )
        return PaymentRequest(amount_cents=amount, new_bank_account=account)

    async def save(self, request: PaymentRequest) -> PaymentReceipt:
        self._forget_secrets()
        try:
            return await self.api.pay(request, self.attempt_key, self.location_id)
        except errors.PaymentDeclined:
            self.attempt_key = new_attempt_key()  # nothing was charged: a new attempt
            raise
        except errors.PaymentAlreadyMade as made:
            if not isinstance(made.current, PaymentReceipt):
                raise
            self.already_made = True
            return made.current

    def _forget_secrets(self) -> None:
        """The card number, CVC and account number leave the screen once sent."""
        for name in SECRET_FIELDS:
            control = self.fields()[name].control
            assert isinstance(control, Input)
            with control.prevent(Input.Changed):
                control.value = ""


class ReceiptScreen(AcknowledgeScreen):
    """The receipt of a payment just made."""

    CSS_PATH = "payment_form.tcss"

    def __init__(
        self, receipt: PaymentReceipt, symbol: str, title: str = "Payment received — receipt"
    ) -> None:
        super().__init__()
        self.receipt = receipt
        self.symbol = symbol
        self.title_text = title

    def compose_body(self) -> ComposeResult:
        yield Static(self.title_text, id="receipt-title")
        for label, value in receipt_fields(self.receipt, self.symbol):
            yield Static(safe(f"{label:<10} {value}"), id=f"receipt-{label.split()[0].lower()}")


def receipt_fields(receipt: PaymentReceipt, symbol: str) -> list[tuple[str, str]]:
    """A receipt's (label, value) lines: amount, method (brand and last four only), date and
    the reference to quote."""
    r = receipt
    return [
        ("Amount", format_cents(r.amount_cents, symbol)),
        ("Paid with", f"{r.brand} ••{r.last4}"),
        ("Date", r.paid_on.isoformat()),
        ("Reference", r.reference),
    ]
