"""A new card or bank account as typed: checked on both ends, handed only to the gateway.

The numbers are checked by pydantic-extra-types (Luhn and brand, ABA checksum) and the
`check_*` functions here, so the form and the server apply the same rule in the same words.
They never appear in a model's repr, and the server's error bodies never echo an input, so a
number cannot reach a log or a message.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, TypeAdapter, ValidationError
from pydantic_extra_types.payment import PaymentCardNumber
from pydantic_extra_types.routing_number import ABARoutingNumber

from portal_tui.wire.common import RequestModel


def check_cvc(value: str) -> str:
    """A CVC is 3 or 4 digits."""
    if not re.fullmatch(r"[0-9]{3,4}", value):
        raise ValueError("The CVC is the 3 or 4 digits on the back of the card.")
    return value


def check_account_number(value: str) -> str:
    """A bank account number is 4 to 17 digits."""
    if not re.fullmatch(r"[0-9]{4,17}", value):
        raise ValueError("An account number is 4 to 17 digits.")
    return value


Cvc = Annotated[
    str, AfterValidator(check_cvc), Field(json_schema_extra={"pattern": "^[0-9]{3,4}$"})
]
AccountNumber = Annotated[
    str, AfterValidator(check_account_number), Field(json_schema_extra={"pattern": "^[0-9]{4,17}$"})
]


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


CARD_EXPIRED = "This card has expired."
"""What the form and the server say under the expiry year of a card past its month."""


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
