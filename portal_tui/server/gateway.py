"""The payment gateway: the one place a card or bank number goes, and the built-in test one.

A real provider is one more class with these three methods. The server keeps only what
`Tokenized` holds; card numbers and CVCs are never stored, logged or sent back.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from portal_tui.wire.cards import NewBankAccount, NewCard
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.settings import PaymentGateway as GatewayChoice


class DeclineReason(StrEnum):
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    EXPIRED = "expired_card"


class Declined(Exception):
    """The gateway refused a charge or a card; nothing was taken."""

    def __init__(self, reason: DeclineReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


class KeyReused(Exception):
    """An idempotency key already moved another amount: nothing is moved now."""


@dataclass(frozen=True)
class Tokenized:
    """What may be kept of a card or account: the gateway's token and what identifies it."""

    token: str
    kind: PaymentMethodKind
    brand: str
    last4: str
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass(frozen=True)
class Charged:
    """A charge or refund the gateway made, by its reference."""

    reference: str


class PaymentGateway(Protocol):
    """A payment provider. `charge` and `refund` must be idempotent on `idempotency_key`:
    the same key answers the first charge's (or refund's) result and moves no money again (a
    real provider passes the key to the provider's own idempotency), so a request retried
    after the server failed past the gateway is never charged or refunded twice. The same
    key with another amount raises `KeyReused`, as providers refuse it."""

    def tokenize_card(self, card: NewCard) -> Tokenized: ...

    def tokenize_bank(self, account: NewBankAccount) -> Tokenized: ...

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> Charged: ...

    def refund(self, reference: str, amount_cents: int, idempotency_key: str) -> Charged: ...


TEST_CARD_OUTCOMES: dict[str, DeclineReason | None] = {
    "4242424242424242": None,
    "5555555555554444": None,
    "4000000000000002": DeclineReason.DECLINED,
    "4000000000009995": DeclineReason.INSUFFICIENT_FUNDS,
    "4000000000000069": DeclineReason.EXPIRED,
}
"""The test gateway's documented card numbers and what a charge to each does; any other
valid number is accepted and charged."""

TEST_BANK_OUTCOMES: dict[str, DeclineReason | None] = {
    "000123456789": None,
    "000111111116": DeclineReason.INSUFFICIENT_FUNDS,
}
"""The test gateway's documented account numbers; any other account is accepted."""


class TestGateway:
    """The built-in gateway for demos and tests: documented numbers decide each outcome.

    Its tokens carry the outcome, never the number, so charging a stored method behaves
    like charging the card it came from. It keeps each key's charge and refund (as a
    provider does), so one instance lives as long as the server (`gateway_for`); `charges`
    and `refunds` count the money actually moved.
    """

    def __init__(self) -> None:
        self.charged: dict[str, tuple[int, Charged]] = {}
        self.charges = 0
        self.refunded: dict[str, tuple[int, Charged]] = {}
        self.refunds = 0

    def tokenize_card(self, card: NewCard) -> Tokenized:
        outcome = TEST_CARD_OUTCOMES.get(card.number)
        return Tokenized(
            token=self._token(outcome),
            kind=PaymentMethodKind.of_card(card.funding),
            brand=card.number.brand.value,
            last4=card.number.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )

    def tokenize_bank(self, account: NewBankAccount) -> Tokenized:
        outcome = TEST_BANK_OUTCOMES.get(account.account_number)
        return Tokenized(
            token=self._token(outcome),
            kind=PaymentMethodKind.BANK,
            brand=f"Bank {account.account_type.value}",
            last4=account.account_number[-4:],
        )

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> Charged:
        earlier = _once(self.charged, idempotency_key, amount_cents)
        if earlier is not None:
            return earlier
        outcome = _outcome(token)
        if outcome is not None:
            raise Declined(outcome)
        charged = Charged(reference=f"ch_{secrets.token_hex(8)}")
        self.charged[idempotency_key] = (amount_cents, charged)
        self.charges += 1
        return charged

    def refund(self, reference: str, amount_cents: int, idempotency_key: str) -> Charged:
        earlier = _once(self.refunded, idempotency_key, amount_cents)
        if earlier is not None:
            return earlier
        refunded = Charged(reference=f"re_{secrets.token_hex(8)}")
        self.refunded[idempotency_key] = (amount_cents, refunded)
        self.refunds += 1
        return refunded

    @staticmethod
    def _token(outcome: DeclineReason | None) -> str:
        return f"tok-{outcome.value if outcome else 'ok'}-{secrets.token_hex(8)}"


def _once(done: dict[str, tuple[int, Charged]], key: str, amount_cents: int) -> Charged | None:
    """What `key` already moved (None: nothing yet); another amount under it is refused."""
    if key not in done:
        return None
    amount, result = done[key]
    if amount != amount_cents:
        raise KeyReused(key)
    return result


def _outcome(token: str) -> DeclineReason | None:
    """What charging a test token (`tok-<outcome>-<anything>`) does; a token of any other
    shape or outcome is declined."""
    parts = token.split("-")
    if len(parts) < 3 or parts[0] != "tok":
        return DeclineReason.DECLINED
    if parts[1] == "ok":
        return None
    try:
        return DeclineReason(parts[1])
    except ValueError:
        return DeclineReason.DECLINED


TEST_GATEWAY = TestGateway()
"""The demo gateway: one for the server's life, so it remembers each key's charge."""


def gateway_for(choice: GatewayChoice) -> PaymentGateway | None:
    """The gateway a business's setting names; None where it takes no online payments."""
    return TEST_GATEWAY if choice is GatewayChoice.DEMO else None
