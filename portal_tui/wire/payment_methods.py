"""A guardian's stored payment methods: reading them, adding, changing and deleting one, and
the recurring-billing authorization they agree to (by the version of its text).

A guardian sees and manages only their own methods. Exactly one of a guardian's methods is
their default; making one default clears the others, and the first one saved is the default.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, StrictBool, model_validator

from portal_tui.wire.cards import NewBankAccount, NewCard
from portal_tui.wire.common import Id, RequestModel, Version, WireModel
from portal_tui.wire.payments import PaymentMethodKind

RECURRING_TEXT_VERSION = 1
"""The version of RECURRING_TEXT; a change to the text gets a new version."""

RECURRING_TEXT = (
    "I authorize the business to charge this payment method for my family's recurring "
    "tuition and fees on their due dates, in the amounts shown on my account, until I turn "
    "this authorization off here or tell the business in writing."
)
"""What a guardian agrees to by turning on "This payment method is authorized for recurring
billing"; the server records who agreed, when, and to which version."""

KIND_LABELS = {
    PaymentMethodKind.CARD: "Credit Card",
    PaymentMethodKind.DEBIT: "Debit Card",
    PaymentMethodKind.BANK: "Bank Account",
}
"""The portal's name of each kind of method."""


class PaymentMethodOut(WireModel):
    """A stored method: only what identifies it (the gateway keeps the number)."""

    id: Id
    guardian_id: Id
    kind: PaymentMethodKind
    brand: str
    last4: str = Field(pattern=r"^\d{4}$")
    exp_month: int | None = Field(ge=1, le=12, description="Cards only")
    exp_year: int | None = Field(ge=2000, le=2100, description="Cards only")
    is_default: bool
    recurring_authorized: bool
    version: Version


class RecurringChoice(RequestModel):
    """The default and recurring-billing toggles of a new or changed method.

    Turning recurring billing on names the version of RECURRING_TEXT the guardian was shown.
    """

    is_default: StrictBool = Field(False, description='"Set to Default?"')
    recurring_authorized: StrictBool = Field(
        False, description='"This payment method is authorized for recurring billing"'
    )
    text_version: Id | None = Field(
        None, description="The version of the authorization text shown (needed to turn it on)"
    )


class NewPaymentMethod(RecurringChoice):
    """Save a card or (where eChecks are on) a bank account: exactly one of the two."""

    card: NewCard | None = None
    bank: NewBankAccount | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.card is None) == (self.bank is None):
            raise ValueError("give either a card or a bank account")
        return self


class PaymentMethodUpdate(RecurringChoice):
    """Change a method's default and recurring-billing toggles, naming the version edited."""

    version: Version


class PaymentPermission(RequestModel):
    """The primary guardian grants or withdraws a secondary guardian's permission to pay."""

    can_make_payments: StrictBool
    version: Version = Field(description="The guardian's version the primary saw")
