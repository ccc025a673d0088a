"""Transaction History sorted by amount and searched: windows in largest-first order for every
filter (both ends, the total), and a bounded, case-insensitive search of descriptions in which
`%` and `_` are literal, within the kind and location filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.ledger import EntryKind, LedgerMatches, LedgerRow
from tests.server.conftest import family_path
from tests.server.test_ledger_places import write
from tests.server.test_ledger_window import all_windows, filters, window
from tests.server.test_makeups import family_access
from tests.server.test_read_endpoints import all_pages, get


def largest_first(rows: list[LedgerRow]) -> list[LedgerRow]:
    return sorted(rows, key=lambda r: (r.amount_cents, r.entry_date, r.id), reverse=True)


def search(api: TestClient, auth: dict[str, str], q: str, **params: Any) -> LedgerMatches:
    path = family_path(api, auth) + "/ledger/search"
    return LedgerMatches.model_validate(get(api, auth, path, q=q, **params))


def add(db_url: str, entries: list[tuple[EntryKind, str, int]], day: date) -> None:
    """Entries of (kind, description, amount) at the demo family's first location."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db)
        location_id = db.scalars(select(tables.Location.id).order_by(tables.Location.id)).first()
        assert location_id is not None
        for kind, description, amount in entries:
            entry = write(db, family.id, kind, day, location_id, amount)
            entry.description = description
            db.flush()
        db.commit()
    engine.dispose()


def test_windows_by_amount_for_every_filter(api: TestClient, auth: dict[str, str]) -> None:
    matched = 0
    for params in filters(api, auth):
        by_date = all_pages(api, auth, limit=500, **params)
        by_amount = all_windows(api, auth, step=7, sort="amount", **params)
        assert by_amount == largest_first(by_date), params
        matched += len(by_date) > 7
    assert matched >= 5


def test_amount_windows_at_the_ends(api: TestClient, auth: dict[str, str]) -> None:
    expected = largest_first(all_pages(api, auth, limit=500))
    total = len(expected)
    first = window(api, auth, sort="amount", start=0, limit=5)
    assert (first.total, first.items) == (total, expected[:5])
    last = window(api, auth, sort="amount", start=total - 3, limit=10)
    assert (last.total, last.items) == (total, expected[-3:])
    assert window(api, auth, sort="amount", start=total, limit=10).items == []
    assert window(api, auth, sort="amount", start=2**31 - 1, limit=500).total == total
    path = f"/api/v1{family_path(api, auth)}/ledger/window"
    response = api.get(path, headers=auth, params={"sort": "size"})
    assert response.status_code == 422


def test_amount_ties_are_newest_first(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    day = date(2026, 3, 1)
    add(db_url, [(EntryKind.CHARGE, f"Tie {n}", 9_999_999) for n in range(3)], day - timedelta(1))
    add(db_url, [(EntryKind.CHARGE, "Tie newest", 9_999_999)], day)
    top = window(api, auth, sort="amount", start=0, limit=4).items
    assert [r.description for r in top] == ["Tie newest", "Tie 2", "Tie 1", "Tie 0"]


def test_search_matches_descriptions_case_insensitively(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    add(
        db_url,
        [
            (EntryKind.CHARGE, "Zebra swim camp", 100),
            (EntryKind.PAYMENT, "ZEBRA payment", 200),
            (EntryKind.REFUND, "zebra refund", 300),
        ],
        date(2026, 3, 1),
    )
    found = search(api, auth, "  zEbRa ")
    assert [r.description for r in found.items] == [
        "zebra refund",
        "ZEBRA payment",
        "Zebra swim camp",
    ]
    assert not found.more
    payments = search(api, auth, "zebra", kind="payment")
    assert [r.description for r in payments.items] == ["ZEBRA payment"]
    assert search(api, auth, "no such thing at all").items == []
    everything = all_pages(api, auth, limit=500)
    word = everything[-1].description.split()[0]
    expected = [r for r in everything if word.lower() in r.description.lower()]
    assert search(api, auth, word).items == expected


def test_search_within_a_location(api: TestClient, auth: dict[str, str]) -> None:
    locations = [loc["id"] for loc in get(api, auth, "/locations")]
    for location_id in locations:
        rows = all_pages(api, auth, limit=500, location_id=location_id)
        if not rows:
            continue
        word = rows[0].description.split()[0]
        found = search(api, auth, word, location_id=location_id)
        assert found.items == [r for r in rows if word.lower() in r.description.lower()]
        assert all(r.location_id == location_id for r in found.items)


def test_search_wildcards_are_literal(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    add(
        db_url,
        [
            (EntryKind.CHARGE, "Discount 50% off", 100),
            (EntryKind.CHARGE, "Discount 50 percent", 100),
            (EntryKind.CHARGE, "code a_b", 100),
            (EntryKind.CHARGE, "code axb", 100),
            (EntryKind.CHARGE, "path a/b\\c", 100),
        ],
        date(2026, 3, 1),
    )
    assert [r.description for r in search(api, auth, "50%").items] == ["Discount 50% off"]
    assert [r.description for r in search(api, auth, "a_b").items] == ["code a_b"]
    assert [r.description for r in search(api, auth, "a/b\\c").items] == ["path a/b\\c"]
    assert all("%" in r.description for r in search(api, auth, "%").items)
    assert all("_" in r.description for r in search(api, auth, "_").items)


def test_search_is_bounded_and_says_when_more_match(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    add(
        db_url,
        [(EntryKind.CHARGE, f"Bulk fee {n}", 100 + n) for n in range(12)],
        date(2026, 3, 1),
    )
    five = search(api, auth, "bulk fee", limit=5)
    assert [r.description for r in five.items] == [f"Bulk fee {n}" for n in range(11, 6, -1)]
    assert five.more
    twelve = search(api, auth, "bulk fee", limit=12)
    assert len(twelve.items) == 12 and not twelve.more
    path = f"/api/v1{family_path(api, auth)}/ledger/search"
    for params in (
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 101},
        {"q": "a\x1bb"},
        {"q": "x", "limit": 0},
        {"q": "x", "limit": 1001},
    ):
        response = api.get(path, headers=auth, params=params)
        assert response.status_code == 422, params
        assert "\x1b" not in response.text
    assert api.get(path, headers=auth, params={"q": "x" * 100}).status_code == 200
