"""The forms that add a payment method ("Add Payment Method") and change one ("Edit Payment
Method"): a card or (with eChecks) a bank account, "Set to Default?", and the recurring-billing
authorization with its text.

Numbers are checked as the user types by the wire's own types (Luhn and brand, the ABA
checksum) and again by the server; they go to the server's gateway only and are cleared from
the form once saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from portal_tui.api.payment_methods import PaymentMethodApi
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.failures import Failure, Remedy
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.safe import plain, safe
from portal_tui.wire.cards import (
    CARD_EXPIRED,
    BankAccountType,
    CardFunding,
    card_expired,
    check_account_number,
    check_card_number,
    check_cvc,
    check_routing_number,
)
from portal_tui.wire.family import Capabilities
from portal_tui.wire.payment_methods import (
    KIND_LABELS,
    RECURRING_TEXT,
    RECURRING_TEXT_VERSION,
    NewPaymentMethod,
    PaymentMethodOut,
    PaymentMethodUpdate,
    RecurringChoice,
)
from portal_tui.wire.payments import PaymentMethodKind

SECRET_FIELDS = ("number", "cvc", "routing_number", "account_number")
"""What is cleared from the form once the method is saved."""

YES_NO: list[tuple[str, bool]] = [("No", False), ("Yes", True)]


def describe(method: PaymentMethodOut) -> str:
    """A method in a few words, as the list and the delete question name it (safe text)."""
    text = f"{method.brand} ••{method.last4}"
    if method.exp_month and method.exp_year:
        text += f", expires {method.exp_month:02d}/{method.exp_year}"
    return plain(text)


def _digits(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


def _digits_of(check: Callable[[str], str]) -> Callable[[str], str]:
    """A wire check of a number as typed, spaces and dashes left out (as it is sent)."""
    return lambda value: check(_digits(value))


def _number(value: str) -> int | str:
    """A typed whole number as an int (anything else stays text, and the model refuses it)."""
    value = value.strip()
    return int(value) if value.isdigit() else value


class PaymentMethodForm(FormScreen[RecurringChoice, PaymentMethodOut]):
    """Add a method (no record) or change one's default and recurring authorization."""

    CSS_PATH = "payment_method_form.tcss"

    def __init__(
        self,
        api: PaymentMethodApi,
        capabilities: Capabilities,
        method: PaymentMethodOut | None = None,
        *,
        zone: ZoneInfo,
    ) -> None:
        self.api = api
        self.capabilities = capabilities
        self.method = method
        self.zone = zone
        """The business's time zone: a card has expired by the business's date, as the
        server checks it."""
        self.version = method.version if method else None
        """The version this edit replaces; a conflict moves it to the current one."""
        deletable = method is not None and capabilities.delete_payment_methods
        super().__init__(
            "Edit Payment Method" if method else "Add Payment Method",
            delete_label=f"the payment method {describe(method)}" if method and deletable else None,
        )

    # Fields

    def compose_fields(self) -> ComposeResult:
        m = self.method
        yield Static("", markup=False, id="form-current", classes="hidden")
        if m is None:
            yield from self._entry_fields()
        else:
            yield Static(safe(f"{KIND_LABELS[m.kind]}: {describe(m)}"), id="method-described")
        yield FormField(
            "Set to Default?",
            Choice(YES_NO, value=bool(m and m.is_default), allow_blank=False, compact=True),
            name="is_default",
        )
        if self.capabilities.recurring_authorization:
            recurring = bool(m and m.recurring_authorized)
            yield FormField(
                "This payment method is authorized for recurring billing",
                Choice(YES_NO, value=recurring, allow_blank=False, compact=True),
                name="recurring_authorized",
            )
            yield Static(RECURRING_TEXT, id="recurring-text", classes="" if recurring else "hidden")
        elif self.capabilities.recurring_required and m is None:
            yield Static(
                "Saving this method authorizes it for recurring billing: " + RECURRING_TEXT,
                id="recurring-text",
            )

    def _entry_fields(self) -> ComposeResult:
        kinds = [(KIND_LABELS[k], k) for k in PaymentMethodKind if k.is_card]
        if self.capabilities.bank_accounts:
            kinds.append((KIND_LABELS[PaymentMethodKind.BANK], PaymentMethodKind.BANK))
        yield FormField(
            "Payment method type",
            Choice(kinds, value=PaymentMethodKind.CARD, allow_blank=False, compact=True),
            name="kind",
        )
        with Vertical(id="card-fields"):
            yield FormField(
                "Card number",
                line_input(placeholder="4242 4242 4242 4242", check=_digits_of(check_card_number)),
                name="number",
            )
            with Horizontal(id="card-dates"):
                yield FormField(
                    "Exp. month", line_input(placeholder="MM", check=self._month), name="exp_month"
                )
                yield FormField(
                    "Exp. year", line_input(placeholder="YYYY", check=self._year), name="exp_year"
                )
                yield FormField(
                    "CVC",
                    line_input(placeholder="123", check=_digits_of(check_cvc), password=True),
                    name="cvc",
                )
        with Vertical(id="bank-fields", classes="hidden"):
            yield FormField(
                "Routing number",
                line_input(placeholder="9 digits", check=_digits_of(check_routing_number)),
                name="routing_number",
            )
            yield FormField(
                "Account number",
                line_input(check=_digits_of(check_account_number)),
                name="account_number",
            )
            types = [(t.value.title(), t) for t in BankAccountType]
            yield FormField(
                "Account type",
                Choice(types, value=BankAccountType.CHECKING, allow_blank=False, compact=True),
                name="account_type",
            )

    @staticmethod
    def _month(value: str) -> None:
        if not value.strip().isdigit() or not 1 <= int(value) <= 12:
            raise ValueError("A month from 1 to 12.")

    def _year(self, value: str) -> None:
        """The year, and the expiry it makes with the month typed (said under the year, as
        the server says it)."""
        if not value.strip().isdigit() or not 2000 <= int(value) <= 2100:
            raise ValueError("A year such as 2029.")
        month = self.input("exp_month").value.strip()
        today = datetime.now(self.zone).date()
        if month.isdigit() and card_expired(int(month), int(value), today):
            raise ValueError(CARD_EXPIRED)

    @on(Input.Changed, "#field-exp_month Input")
    def _month_changed(self) -> None:
        """A new month may make the card expired or not: the typed year is checked again."""
        year = self.input("exp_year")
        if year.value:
            result = year.validate(year.value)
            errors = "; ".join(result.failure_descriptions) if result else None
            self.fields()["exp_year"].show_error(errors)

    def input(self, name: str) -> Input:
        control = self.fields()[name].control
        assert isinstance(control, Input)
        return control

    def choice(self, name: str) -> Any:
        control = self.fields()[name].control
        assert isinstance(control, Choice)
        return control.value

    def kind(self) -> PaymentMethodKind:
        return PaymentMethodKind(self.choice("kind")) if self.method is None else self.method.kind

    @on(Choice.Changed)
    def _toggled(self, event: Choice.Changed) -> None:
        field = next((a for a in event.control.ancestors if isinstance(a, FormField)), None)
        if field is None:
            return
        if field.field_name == "kind":
            bank = event.value == PaymentMethodKind.BANK
            self.query_one("#card-fields").set_class(bank, "hidden")
            self.query_one("#bank-fields").set_class(not bank, "hidden")
        elif field.field_name == "recurring_authorized":
            self.query_one("#recurring-text").set_class(event.value is not True, "hidden")

    def local_errors(self) -> dict[str, str]:
        """Only the fields of the chosen kind count."""
        hidden = "#bank-fields" if self.kind().is_card else "#card-fields"
        skipped = {f.field_name for f in self.query(f"{hidden} FormField").results(FormField)}
        return {k: v for k, v in super().local_errors().items() if k not in skipped}

    # Request

    def _recurring(self) -> bool:
        """The toggle where it shows; otherwise unchanged, and a new method is authorized
        where the business requires it."""
        if self.capabilities.recurring_authorization:
            return self.choice("recurring_authorized") is True
        if self.method is not None:
            return self.method.recurring_authorized
        return self.capabilities.recurring_required

    def build_request(self) -> RecurringChoice:
        recurring = self._recurring()
        toggles: dict[str, Any] = {
            "is_default": self.choice("is_default") is True,
            "recurring_authorized": recurring,
            "text_version": RECURRING_TEXT_VERSION if recurring else None,
        }
        if self.method is not None:
            return PaymentMethodUpdate.model_validate({**toggles, "version": self.version})
        kind = self.kind()
        if kind.is_card:
            debit = kind is PaymentMethodKind.DEBIT
            entry = {
                "number": _digits(self.input("number").value),
                "exp_month": _number(self.input("exp_month").value),
                "exp_year": _number(self.input("exp_year").value),
                "cvc": self.input("cvc").value.strip(),
                "funding": CardFunding.DEBIT if debit else CardFunding.CREDIT,
            }
            return NewPaymentMethod.model_validate({**toggles, "card": entry})
        bank = {
            "routing_number": _digits(self.input("routing_number").value),
            "account_number": _digits(self.input("account_number").value),
            "account_type": self.choice("account_type"),
        }
        return NewPaymentMethod.model_validate({**toggles, "bank": bank})

    async def save(self, request: RecurringChoice) -> PaymentMethodOut:
        if isinstance(request, PaymentMethodUpdate):
            assert self.method is not None
            return await self.api.update(self.method.id, request)
        assert isinstance(request, NewPaymentMethod)
        saved = await self.api.add(request)
        self._forget_numbers()
        return saved

    def _forget_numbers(self) -> None:
        """The typed numbers leave the UI's state once the gateway has them."""
        fields = self.fields()
        for name in SECRET_FIELDS:
            field = fields.get(name)  # an edit has no number fields
            control = field.control if field else None
            if isinstance(control, Input):
                with control.prevent(Input.Changed):
                    control.value = ""

    async def delete(self) -> None:
        assert self.method is not None and self.version is not None
        await self.api.delete(self.method.model_copy(update={"version": self.version}))

    # Failures

    def show_failure(self, failure: Failure) -> None:
        """The server names a card's fields "card.number" and the like: put them under this
        form's own; a refusal that is not about a stale record (the limit, recurring billing
        depending on the method) is said as it is."""
        self._forget_numbers()  # whatever the answer, typed numbers do not outlive a submit
        fields = {name.split(".")[-1]: text for name, text in failure.fields.items()}
        failure = dataclasses.replace(failure, fields=fields)
        if failure.remedy is Remedy.REVIEW_CURRENT and failure.current is None:
            self.say(failure.message, error=True)
            return
        super().show_failure(failure)

    def show_current(self, current: Any) -> None:
        if not isinstance(current, PaymentMethodOut):
            return
        self.version = current.version
        default = "the default" if current.is_default else "not the default"
        recurring = "authorized" if current.recurring_authorized else "not authorized"
        line = self.query_one("#form-current", Static)
        said = f"{describe(current)}, {default}, {recurring} for recurring billing"
        line.update(safe(f"Saved meanwhile: {said}"))
        line.remove_class("hidden")
