"""Transaction History sorted by amount and searched: windows in largest-first order for every
filter (both ends, the total, every start), costing about the same anywhere, and a bounded,
case-insensitive search of descriptions in which `%` and `_` are literal, within the kind and
location filters."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.seed import seed_bulk
from portal_tui.server.services import ledger_search, ledger_window
from portal_tui.server.services.ledger import row_select, to_row
from portal_tui.server.tables.ledger_text import FTS, TRIGRAM_INDEX, filled_at_the_end
from portal_tui.wire.ledger import EntryKind, LedgerMatches, LedgerRow, LedgerSort
from tests.server.conftest import family_path
from tests.server.test_ledger_places import write
from tests.server.test_ledger_window import all_windows, filters, window
from tests.server.test_makeups import family_access
from tests.server.test_read_endpoints import all_pages, get
from tests.servers import database

Entry = tables.LedgerEntry


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


def largest_first_ids(
    db: Session, family_id: int, location_id: int | None, kind: EntryKind | None
) -> list[int]:
    """The filter's entries by a plain ORDER BY amount desc, date desc, id desc."""
    query = select(Entry.id).where(Entry.family_id == family_id)
    if location_id is not None:
        query = query.where(Entry.location_id == location_id)
    if kind is not None:
        query = query.where(Entry.kind == kind)
    order = (Entry.amount_cents.desc(), Entry.entry_date.desc(), Entry.id.desc())
    return list(db.scalars(query.order_by(*order)))


def test_amount_windows_at_every_start_equal_the_plain_order(db_url: str) -> None:
    """After a charge backdated into an earlier year at an amount already there, a refund of
    the newest payment and a credit, a window of 3 at every start, for every filter, holds
    the entries the plain ORDER BY puts there (windows within one amount and year, from
    its top or its bottom, and across the next)."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db).id
        locations = sorted(db.scalars(select(tables.Location.id)))
        payment = db.scalars(
            select(Entry)
            .where(Entry.family_id == family, Entry.kind == EntryKind.PAYMENT)
            .order_by(Entry.entry_date.desc(), Entry.id.desc())
        ).first()
        assert payment is not None
        oldest = db.scalar(select(func.min(Entry.entry_date)).where(Entry.family_id == family))
        assert oldest is not None
        common = db.scalar(
            select(Entry.amount_cents)
            .where(Entry.family_id == family, Entry.kind == EntryKind.CHARGE)
            .group_by(Entry.amount_cents)
            .order_by(func.count().desc())
            .limit(1)
        )
        assert common is not None
        today = clock.today()
        write(db, family, EntryKind.CHARGE, oldest - timedelta(days=400), locations[0], common)
        write(db, family, EntryKind.REFUND, today, payment.location_id, 500, payment.id)
        write(db, family, EntryKind.CREDIT, today - timedelta(days=40), locations[-1], common)
        db.flush()
        starts = 0
        for location_id in [None, *locations]:
            for kind in [None, *EntryKind]:
                expected = largest_first_ids(db, family, location_id, kind)
                for start in range(len(expected) + 1):
                    found = ledger_window.window(
                        db=db,
                        family_id=family,
                        location_id=location_id,
                        kind=kind,
                        start=start,
                        limit=3,
                        sort=LedgerSort.AMOUNT,
                    )
                    assert found.total == len(expected)
                    assert [row.id for row in found.items] == expected[start : start + 3]
                    starts += 1
        assert starts > 4 * 100
        db.rollback()
    engine.dispose()


def test_an_amount_window_costs_about_the_same_anywhere(sqlite_url: str) -> None:
    """In a ledger of 10,000 entries a window of 100 by amount takes about as many steps of
    SQLite's machine at the middle or across a change of amount as at either end (skipping
    along the index to the middle would take twice as many or more)."""
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=0, ledger_rows=10_000)
        big = db.scalars(select(tables.Family.id).where(tables.Family.name == "Ledger Family"))
        family = big.one()
        expected = largest_first_ids(db, family, None, None)
        amounts = {key: cents for key, cents in db.execute(select(Entry.id, Entry.amount_cents))}
        change = next(
            i for i in range(5000, 10_000) if amounts[expected[i]] != amounts[expected[5000]]
        )
        steps = [0]

        def step() -> int:
            steps[0] += 1
            return 0

        raw = db.connection().connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(step, 100)
        cost = {}
        for start in (0, 2_500, 5_000, change - 50, 9_900):
            steps[0] = 0
            found = ledger_window.window(
                db=db, family_id=family, start=start, limit=100, sort=LedgerSort.AMOUNT
            )
            cost[start] = steps[0]
            assert [row.id for row in found.items] == expected[start : start + 100]
        assert max(cost.values()) < 1.5 * min(cost.values()), cost
    engine.dispose()


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


ODD_ENTRIES = [
    (EntryKind.CHARGE, "École d'été – 50% off", 100),
    (EntryKind.CHARGE, "ÉCOLE fee a_b", 200),
    (EntryKind.PAYMENT, 'Payment "quoted" note', 300),
    (EntryKind.CREDIT, "Credit 100%_done", 400),
]
"""Descriptions with wildcards, quotes and non-ASCII letters, added backdated (old)."""
TEXTS = [
    "no such text anywhere",
    "a",
    "Tu",
    "%",
    "_",
    "50%",
    "a_b",
    "%_d",
    "tUiTiOn",
    "école",
    "ÉCOLE",
    "cole",
    '"quoted"',
    "été",
    "payment",
    "ment",
]


def scanned(
    db: Session, params: dict[str, Any], text: str, limit: int, family_id: int | None = None
) -> LedgerMatches:
    """The search as a scan of the filter along its date index (no text index): the contract.
    Of the demo family unless `family_id` is given."""
    entry = tables.LedgerEntry
    where = [
        entry.family_id == (family_id or family_access(db).id),
        entry.description.icontains(text, autoescape=True),
    ]
    if "location_id" in params:
        where.append(entry.location_id == params["location_id"])
    if "kind" in params:
        where.append(entry.kind == params["kind"])
    query = (
        row_select()
        .where(*where)
        .order_by(entry.entry_date.desc(), entry.id.desc())
        .limit(limit + 1)
    )
    rows = db.execute(query).all()
    items = [to_row(row, of_location="location_id" in params) for row in rows[:limit]]
    return LedgerMatches(items=items, more=len(rows) > limit)


def assert_searches_scan(
    api: TestClient, auth: dict[str, str], db_url: str, filters: list[dict[str, Any]]
) -> None:
    """Every text of TEXTS and some of the ledger's own find what the scan finds, newest
    first, in each of `filters`, with a limit of 1 (the rest from the text index when only
    the newest entry per match is scanned) and of 1000."""
    everything = all_pages(api, auth, limit=500)
    oldest = everything[-1].description
    texts = [*TEXTS, oldest, oldest[2:9].upper(), everything[len(everything) // 2].description]
    found = 0
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        for params in filters:
            for text in texts:
                for limit in (1, 1000):
                    expected = scanned(db, params, text, limit)
                    assert search(api, auth, text, limit=limit, **params) == expected, (
                        params,
                        text,
                    )
                    found += len(expected.items)
    engine.dispose()
    assert found > 100


def test_search_equals_the_scan_for_every_text_and_filter(
    api: TestClient, auth: dict[str, str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(db_url, ODD_ENTRIES, date(2020, 1, 1))
    monkeypatch.setattr(ledger_search, "SCANNED_PER_MATCH", 1)
    assert_searches_scan(api, auth, db_url, filters(api, auth))


def test_search_equals_the_scan_when_the_text_is_too_common_for_the_index(
    api: TestClient, auth: dict[str, str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past HITS_MAX entries holding the text, the scan goes on past the newest entries."""
    add(db_url, ODD_ENTRIES, date(2020, 1, 1))
    monkeypatch.setattr(ledger_search, "SCANNED_PER_MATCH", 1)
    monkeypatch.setattr(ledger_search, "HITS_MAX", 0)
    assert_searches_scan(api, auth, db_url, [{}])


def test_the_text_index_follows_new_backdated_and_changed_entries(
    api: TestClient, auth: dict[str, str], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_search, "SCANNED_PER_MATCH", 1)
    add(db_url, [(EntryKind.CHARGE, "Backdated quokka fee", 100)], date(2019, 5, 1))
    add(db_url, [(EntryKind.CHARGE, "Newest quokka fee", 100)], date(2026, 3, 2))
    assert [r.description for r in search(api, auth, "QUOKKA", limit=1).items] == [
        "Newest quokka fee"
    ]
    assert [r.description for r in search(api, auth, "quokka", limit=5).items] == [
        "Newest quokka fee",
        "Backdated quokka fee",
    ]
    with database(db_url) as db:
        backdated = db.scalars(
            select(tables.LedgerEntry).where(tables.LedgerEntry.description.startswith("Back"))
        ).one()
        backdated.description = "Backdated wombat fee"
    assert [r.description for r in search(api, auth, "quokka fee", limit=5).items] == [
        "Newest quokka fee"
    ]
    assert [r.description for r in search(api, auth, "wombat", limit=5).items] == [
        "Backdated wombat fee"
    ]
    if db_url.startswith("sqlite"):  # the FTS index agrees with every row of ledger_entries
        with database(db_url) as db:
            db.execute(text(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)"))


def test_a_bulk_seed_that_fails_leaves_the_text_index_kept(sqlite_url: str) -> None:
    """The insert trigger dropped for a bulk seed comes back when the seed fails, so later
    entries are still indexed (SQLite runs the DROP outside the seed's transaction)."""
    engine = make_engine(sqlite_url)
    triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
    with make_sessionmaker(engine)() as db:
        with pytest.raises(RuntimeError, match="the seed broke"), filled_at_the_end(db):
            db.execute(text("UPDATE ledger_entries SET description = 'x' WHERE id = 1"))
            raise RuntimeError("the seed broke")
        assert db.scalar(text(triggers)) == 3
        db.execute(text(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)"))
    engine.dispose()


def test_bulk_seeding_fills_the_text_index(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk seed fills the index once at the end (SQLite): the index agrees with the
    entries, and searches through it find what the scan finds."""
    monkeypatch.setattr(ledger_search, "SCANNED_PER_MATCH", 1)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=1, ledger_rows=300)
        if engine.dialect.name == "sqlite":
            assert db.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")) == 3
            db.execute(text(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)"))
        family_id = db.scalars(
            select(tables.Family.id).where(tables.Family.name == "Ledger Family")
        ).one()
        for text_ in ("Refund", "sibling DISCOUNT", "no such text", "Tuition – Swim"):
            expected = scanned(db, {}, text_, 5, family_id=family_id)
            assert ledger_search.search(db=db, family_id=family_id, text=text_, limit=5) == expected
    engine.dispose()


BIG = 5_000
"""Entries of a family big enough that a search of the newest ones leaves most unread."""


def big_family(db: Session) -> int:
    """A family with BIG charges at one location, a day apart, each with its places."""
    family = tables.Family(name="Big Search Family")
    db.add(family)
    db.flush()
    location_id = db.scalars(select(tables.Location.id)).first()
    first = date(1970, 1, 1)
    rows = [
        {
            "family_id": family.id,
            "kind": EntryKind.CHARGE,
            "entry_date": first + timedelta(days=n),
            "location_id": location_id,
            "amount_cents": 100,
            "description": f"Charge number {n}",
            **dict.fromkeys(("place_all", "place_kind", "place_loc", "place_loc_kind"), n),
            "balance_after": 100 * n,
            "location_balance_after": 100 * n,
        }
        for n in range(1, BIG + 1)
    ]
    db.execute(insert(tables.LedgerEntry), rows)
    return family.id


def test_a_search_of_rare_text_reads_the_text_index(db_url: str) -> None:
    """A search that finds nothing in a big family reads the text index, not the family's
    entries along a date index. On SQLite the query for the entries older than the scanned
    ones reads the FTS table. On PostgreSQL the search is one query whose planner weighs the
    trigram index against the date index by statistics (it takes the index by itself for a
    rare text among 300,000 entries; at this size it would rather read the table): its
    condition is checked to be one the index serves."""
    engine = make_engine(db_url)
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    with make_sessionmaker(engine)() as db:
        family_id = big_family(db)
        event.listen(engine, "before_cursor_execute", record)
        found = ledger_search.search(db=db, family_id=family_id, text="no such text", limit=10)
        event.remove(engine, "before_cursor_execute", record)
        assert found == LedgerMatches(items=[], more=False)
        if engine.dialect.name == "sqlite":
            (indexed,) = [(s, p) for s, p in statements if "hits" in s]
            query_plan = db.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + indexed[0], indexed[1]
            )
            steps = [str(row[3]) for row in query_plan]
            assert f"SCAN {FTS} VIRTUAL TABLE INDEX 0:M1" in steps, steps
            assert not [s for s in steps if "INDEX ix_ledger" in s], steps
        else:
            (query,) = statements
            assert str(ledger_search.holds("x").compile(engine)) in query[0]
            db.execute(text("SET LOCAL enable_seqscan = off"))
            holding = select(tables.LedgerEntry.id).where(ledger_search.holds("no such text"))
            compiled = holding.compile(engine)
            explained = db.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
            steps = [str(step).strip() for step in explained.scalars()]
            index_scan = f"->  Bitmap Index Scan on {TRIGRAM_INDEX} "
            assert [step for step in steps if step.startswith(index_scan)], steps
    engine.dispose()
