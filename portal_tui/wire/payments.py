"""Payments, Apply Credit and stored payment methods."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from portal_tui.wire.cards import CardFunding, NewBankAccount, NewCard
from portal_tui.wire.common import Cents, Id, RequestModel, WireModel


class PaymentMethodKind(StrEnum):
    """What a stored payment method draws on: a credit card ("card"), a debit card or a
    bank account."""

    CARD = "card"
    DEBIT = "debit"
    BANK = "bank"

    @property
    def is_card(self) -> bool:
        """A credit or a debit card: a number, an expiry and a CVC."""
        return self is not PaymentMethodKind.BANK

    @classmethod
    def of_card(cls, funding: CardFunding) -> PaymentMethodKind:
        """The kind a card of this funding is stored as."""
        return cls.DEBIT if funding is CardFunding.DEBIT else cls.CARD


MAX_PAYMENT_CENTS = 100_000_000
"""The most one payment may be ($1,000,000.00): a bound for the wire, well above any bill."""

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,80}$"
"""An Idempotency-Key: made per payment attempt by the client (e.g. a UUID4's hex)."""


class PayableMethod(WireModel):
    """A stored method a payment may draw on: what identifies it, never its number."""

    id: Id
    kind: PaymentMethodKind
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None
    guardian_name: str


class PaymentOptions(WireModel):
    """What the Make Payment form offers: the amount owed and the ways to pay it."""

    location_id: Id | None
    """The location whose charges a payment pays (None: the whole account's)."""
    outstanding_cents: Cents
    """What that location's charges still owe."""
    credit_cents: Cents
    """The unapplied credit that covers part of Outstanding: each location's own credit, up
    to its own charges (a location's credit pays only its own, through Apply Credit)."""
    owed_cents: Cents
    """The most a payment may be: Outstanding less that Credit."""
    methods: list[PayableMethod]
    """The caller's own stored methods (not removed) that may pay now."""
    bank_accounts: bool
    """A new bank account (eCheck) may be used."""


class PaymentRequest(RequestModel):
    """Make Payment: an amount, paid with exactly one of a stored method, a new card or a new
    bank account. Sent with an Idempotency-Key header; a retry sends the same key."""

    amount_cents: Cents = Field(gt=0, le=MAX_PAYMENT_CENTS)
    method_id: Id | None = None
    new_card: NewCard | None = None
    new_bank_account: NewBankAccount | None = None

    @model_validator(mode="after")
    def _one_method(self) -> PaymentRequest:
        chosen = [self.method_id, self.new_card, self.new_bank_account]
        if sum(m is not None for m in chosen) != 1:
            raise ValueError("name exactly one of method_id, new_card, new_bank_account")
        return self


class PaymentReceipt(WireModel):
    """A payment made: what the receipt shows."""

    entry_id: Id
    """The payment's first ledger entry (a payment is one entry per location it paid)."""
    amount_cents: Cents
    paid_on: date
    kind: PaymentMethodKind
    brand: str
    last4: str
    reference: str
    """What to quote about this payment (named after its first entry)."""


class CreditLine(WireModel):
    """Part of the credit that pays one charge."""

    charge_id: Id
    entry_date: date
    description: str
    amount_cents: Cents


class CreditPlan(WireModel):
    """What Apply Credit will pay (preview) or paid (result), oldest charge first."""

    credit_cents: Cents
    """The family's credit before applying."""
    lines: list[CreditLine]
    total_cents: Cents


class ApplyCredit(RequestModel):
    """Apply Credit as previewed: `total_cents` is the preview's total (409 if it changed)."""

    total_cents: Cents = Field(gt=0, le=MAX_PAYMENT_CENTS)
