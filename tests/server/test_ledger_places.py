"""Each entry's places and balances, kept as entries are written, equal a recomputation."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from hypothesis import HealthCheck, given, settings
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.seed import seed_bulk
from portal_tui.server.services.ledger_places import BALANCES, ORDER, PLACES
from portal_tui.server.services.ledger_totals import SIGNED_AMOUNT
from portal_tui.wire.ledger import EntryKind
from tests.server import random_writes
from tests.server.random_writes import write
from tests.server.test_makeups import family_access

Entry = tables.LedgerEntry
COLUMNS = (
    Entry.place_all,
    Entry.place_kind,
    Entry.place_loc,
    Entry.place_loc_kind,
    Entry.balance_after,
    Entry.location_balance_after,
)
Figures = dict[int, tuple[int, ...]]


def stored(db: Session, family_id: int) -> Figures:
    """Each of the family's entries' places and balances as the database holds them."""
    rows = db.execute(select(Entry.id, *COLUMNS).where(Entry.family_id == family_id))
    return {entry_id: tuple(figures) for entry_id, *figures in rows}


def counted(db: Session, family_id: int) -> Figures:
    """The same, counted here from the entries: every view's places are 1..n in (date, id)
    order, and each balance is the sum of the entries up to it."""
    rows = db.execute(
        select(Entry.id, Entry.kind, Entry.location_id, Entry.amount_cents)
        .where(Entry.family_id == family_id)
        .order_by(Entry.entry_date, Entry.id)
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    figures: Figures = {}
    for entry_id, kind, location_id, amount in rows:
        kind = EntryKind(kind)
        views = [("all",), ("kind", kind), ("loc", location_id), ("loc", location_id, kind)]
        for view in views:
            counts[view] += 1
        counts["balance"] += kind.sign * amount
        counts["balance", location_id] += kind.sign * amount
        places = [counts[view] for view in views]
        figures[entry_id] = (*places, counts["balance"], counts["balance", location_id])
    return figures


def recompute(db: Session, family_id: int) -> None:
    """Every place and balance of the family's entries from scratch, by window functions."""
    windows: dict[str, Any] = {
        place.key: func.row_number().over(partition_by=columns, order_by=ORDER)
        for place, columns in PLACES.items()
    }
    for balance, place in BALANCES.items():
        windows[balance.key] = func.sum(SIGNED_AMOUNT).over(
            partition_by=PLACES[place], order_by=ORDER, rows=(None, 0)
        )
    fresh = (
        select(Entry.id, *(value.label(name) for name, value in windows.items()))
        .where(Entry.family_id == family_id)
        .subquery()
    )
    db.flush()
    table = cast(Table, Entry.__table__)
    db.execute(
        update(table)
        .where(table.c.id == fresh.c.id)
        .values({name: fresh.c[name] for name in windows})
    )
    names = [column.key for column in (*PLACES, *BALANCES)]
    for row in list(db.identity_map.values()):
        if isinstance(row, Entry) and row.family_id == family_id:
            db.expire(row, names)


def assert_maintained(db: Session, family_id: int) -> None:
    """The stored figures are the counted ones, and recomputing them changes nothing."""
    kept = stored(db, family_id)
    assert kept == counted(db, family_id)
    recompute(db, family_id)
    assert stored(db, family_id) == kept


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(writes=random_writes.operations())
def test_random_writes_keep_every_place_and_balance(db_url: str, writes: list[Any]) -> None:
    """Payments today through the service, backdated charges, refunds and credits, and
    Apply Credit: afterwards every place and balance is what a recomputation gives."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db)
        random_writes.run(db, family, writes)
        assert_maintained(db, family.id)
        db.rollback()
    engine.dispose()


def test_a_backdated_entry_moves_later_entries_down_and_into_their_balances(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db)
        entries = list(
            db.scalars(
                select(Entry)
                .where(Entry.family_id == family.id)
                .order_by(Entry.entry_date, Entry.id)
            )
        )
        day = entries[len(entries) // 2].entry_date
        earlier = [e for e in entries if e.entry_date <= day]  # the new id is the largest
        later = [e.id for e in entries if e.entry_date > day]
        before = stored(db, family.id)

        added = write(db, family.id, EntryKind.CHARGE, day, earlier[-1].location_id, 1234)

        after = stored(db, family.id)
        assert after[added.id][0] == len(earlier) + 1
        assert after[added.id][4] == before[earlier[-1].id][4] + 1234
        assert len(later) > 10
        for entry_id in later:
            assert after[entry_id][0] == before[entry_id][0] + 1
            assert after[entry_id][4] == before[entry_id][4] + 1234
        assert {after[e][0] for e in after} == set(range(1, len(entries) + 2))
        assert_maintained(db, family.id)
        db.rollback()
    engine.dispose()


def test_the_seeds_write_every_place_and_balance(db_url: str) -> None:
    """The demo and the benchmark data count their entries' figures as they write them."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=2, ledger_rows=30)
        families = db.scalars(select(tables.Family.id)).all()
        assert len(families) > 4
        for family_id in families:
            kept = stored(db, family_id)
            assert kept == counted(db, family_id)
    engine.dispose()
