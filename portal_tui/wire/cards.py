"""A new card or bank account as typed: checked on both ends, handed only to the gateway.

The numbers are checked by pydantic-extra-types (Luhn and brand, ABA checksum) so the
form and the server apply the same rule. They never appear in a model's repr, and the
server's error bodies never echo an input, so a number cannot reach a log or a message.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictInt, StringConstraints, TypeAdapter, ValidationError
from pydantic_extra_types.payment import PaymentCardNumber
from pydantic_extra_types.routing_number import ABARoutingNumber

from portal_tui.wire.common import RequestModel

Cvc = Annotated[str, StringConstraints(pattern=r"^\d{3,4}$")]
AccountNumber = Annotated[str, StringConstraints(pattern=r"^\d{4,17}$")]


class BankAccountType(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"


class CardFunding(StrEnum):
    """Whether a card is a credit or a debit card, as the guardian says."""

    CREDIT = "credit"
    DEBIT = "debit"


class NewCard(RequestModel):
    """A credit or debit card, typed in."""

    number: PaymentCardNumber = Field(repr=False)
    exp_month: StrictInt = Field(ge=1, le=12)
    exp_year: StrictInt = Field(ge=2000, le=2100)
    cvc: Cvc = Field(repr=False)
    funding: CardFunding = CardFunding.CREDIT


class NewBankAccount(RequestModel):
    """A bank account for eChecks, typed in."""

    routing_number: ABARoutingNumber = Field(repr=False)
    account_number: AccountNumber = Field(repr=False)
    account_type: BankAccountType = BankAccountType.CHECKING


def card_expired(exp_month: int, exp_year: int, today: date) -> bool:
    """A card is good through the last day of its expiry month."""
    return (exp_year, exp_month) < (today.year, today.month)


_CARD_NUMBER: TypeAdapter[PaymentCardNumber] = TypeAdapter(PaymentCardNumber)
_ROUTING_NUMBER: TypeAdapter[ABARoutingNumber] = TypeAdapter(ABARoutingNumber)


def check_card_number(value: str) -> str:
    """The card number as the server will check it (Luhn and brand); a ValueError that
    never repeats the number otherwise."""
    try:
        return str(_CARD_NUMBER.validate_python(value.replace(" ", "")))
    except ValidationError:
        raise ValueError("This is not a valid card number.") from None


def check_routing_number(value: str) -> str:
    """A bank routing number as the server will check it (ABA checksum)."""
    try:
        return str(_ROUTING_NUMBER.validate_python(value.strip()))
    except ValidationError:
        raise ValueError("This is not a valid routing number.") from None
