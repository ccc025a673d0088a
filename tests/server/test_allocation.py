"""The one allocation rule: a payment or credit pays the oldest charge in full before the
next; the demo data was written by it too."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.services.allocation import oldest_first
from tests.server.test_passes import change


def test_oldest_first_pays_each_charge_in_full_before_the_next() -> None:
    owed = [("jan", 100), ("feb", 100), ("mar", 100)]
    assert oldest_first(250, owed) == [("jan", 100), ("feb", 100), ("mar", 50)]
    assert oldest_first(100, owed) == [("jan", 100)]
    assert oldest_first(500, owed) == owed  # never more than is owed
    assert oldest_first(0, owed) == []
    assert oldest_first(30, [("paid", 0), ("feb", 40)]) == [("feb", 30)]


def test_each_seeded_payment_paid_its_charges_oldest_first(sqlite_url: str) -> None:
    """Within each payment, a charge is paid only when every older charge it pays is paid in
    full (what the demo generator now asks of the one rule)."""

    def allocations(db: object) -> list[tuple[int, object, int, int, int]]:
        charge = tables.LedgerEntry
        rows = db.execute(  # type: ignore[attr-defined]
            select(
                tables.PaymentAllocation.source_entry_id,
                charge.entry_date,
                charge.id,
                tables.PaymentAllocation.amount_cents,
                charge.amount_cents,
            )
            .join(charge, charge.id == tables.PaymentAllocation.charge_entry_id)
            .order_by(charge.entry_date, charge.id)
        ).all()
        return [tuple(row) for row in rows]

    by_source: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for source, _day, _charge, part, amount in change(sqlite_url, allocations):
        by_source[source].append((part, amount))
    assert by_source
    for parts in by_source.values():
        assert all(part == amount for part, amount in parts[:-1])
