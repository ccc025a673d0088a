"""Ledger entries with running balances."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from portal_tui.wire.common import Cents, Count, Id, PlainText, WireModel


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    REFUND = "refund"
    CREDIT = "credit"

    @property
    def sign(self) -> int:
        """+1 when the entry raises what the family owes, -1 when it lowers it."""
        return 1 if self in (EntryKind.CHARGE, EntryKind.REFUND) else -1


class LedgerSort(StrEnum):
    """A window's order: newest first, or the largest amount first (ties newest first)."""

    DATE = "date"
    AMOUNT = "amount"


WINDOW_LIMIT = 500
"""The most entries one window returns."""

SEARCH_LIMIT = 1000
"""The most matches one search returns (newest first)."""

SearchText = Annotated[PlainText, Field(min_length=1, max_length=100)]
"""What a search looks for in descriptions: trimmed, 1..100 characters, no control characters."""


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
    refund_of_id: Id | None = None
    """For a refund: the payment it gives money back from."""


class LedgerWindow(WireModel):
    """The entries of one filter at newest-first indices `start`.., and how many it holds."""

    total: Count
    start: Count
    items: list[LedgerRow]


class LedgerPosition(WireModel):
    """Where "Go to date" lands: the newest-first index of the newest entry dated on or
    before the day asked, or None when every entry of the filter is later (or there are none)."""

    total: Count
    index: Count | None


class LedgerMatches(WireModel):
    """The newest entries of a filter whose description holds the search text, and whether
    older ones match too (`more`: the search should be refined)."""

    items: list[LedgerRow]
    more: bool
