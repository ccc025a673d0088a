"""A location's balance over time, for the balance chart."""

from __future__ import annotations

from datetime import date

from portal_tui.wire.common import Cents, Id, WireModel

MAX_POINTS = 400
"""The most points one answer holds: more than a terminal is wide."""


class BalancePoint(WireModel):
    """The location's balance right after its entries of `on` (the last one sampled that day)."""

    on: date
    balance_cents: Cents


class BalanceHistory(WireModel):
    """Samples of the balance, oldest first, spread evenly over the location's entries (all of
    them when there are no more than asked for); the newest entry is always the last point."""

    location_id: Id
    entries: int
    """How many entries the location's ledger holds."""
    points: list[BalancePoint]
