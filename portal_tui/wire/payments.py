"""Payments and stored payment methods."""

from __future__ import annotations

from enum import StrEnum


class PaymentMethodKind(StrEnum):
    """What a stored payment method draws on."""

    CARD = "card"
    BANK = "bank"
