"""Ledger entries with running balances."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from portal_tui.wire.common import Cents, Id, WireModel


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    REFUND = "refund"
    CREDIT = "credit"

    @property
    def sign(self) -> int:
        """+1 when the entry raises what the family owes, -1 when it lowers it."""
        return 1 if self in (EntryKind.CHARGE, EntryKind.REFUND) else -1


class LedgerRow(WireModel):
    """One ledger entry; `balance_cents` is the balance right after it."""

    id: Id
    entry_date: date
    kind: EntryKind
    description: str
    location_id: Id
    location_name: str
    student_name: str | None
    amount_cents: Cents
    balance_cents: Cents
