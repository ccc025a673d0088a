"""Each family's totals per location and its entries counted by amount, kept as entries and
allocations are written, equal a recount of its ledger: after random writes, after the
seeds, after racing payments."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any
from unittest.mock import patch

from alembic import command
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.migrate import alembic_config, upgrade
from portal_tui.server.seed import seed_bulk
from portal_tui.server.services import account, allocation, credit
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import ApplyCredit, PaymentRequest
from tests.server import random_writes
from tests.server.test_makeups import family_access
from tests.server.test_passes import change
from tests.server.test_payment_races import _in_threads, _paying
from tests.server.test_payments import visa_id

Entry = tables.LedgerEntry
Figures = dict[int, tuple[int, int, int]]
"""Per location: balance, open charges, unapplied credit."""
Buckets = dict[tuple[int, str, int, int], int]
"""Entries per (location, kind, amount, year)."""


def kept(db: Session, family_id: int) -> Figures:
    """The family's totals as the database keeps them."""
    db.flush()
    rows = db.execute(
        select(
            tables.LedgerTotal.location_id,
            tables.LedgerTotal.balance_cents,
            tables.LedgerTotal.open_cents,
            tables.LedgerTotal.unapplied_cents,
        ).where(tables.LedgerTotal.family_id == family_id)
    )
    return {location: (int(b), int(o), int(u)) for location, b, o, u in rows}


def money_left(db: Session, family_id: int) -> dict[int, tuple[EntryKind, int, int]]:
    """Each of the family's entries' kind, location and money left, counted here from every
    entry and allocation: a charge's amount less its allocations; a payment's or credit's
    less its allocations and refunds."""
    db.flush()
    entries = list(
        db.execute(
            select(
                Entry.id, Entry.kind, Entry.location_id, Entry.amount_cents, Entry.refund_of_id
            ).where(Entry.family_id == family_id)
        )
    )
    left = {entry_id: amount for entry_id, _kind, _loc, amount, _of in entries}
    for source, charge, amount in db.execute(
        select(
            tables.PaymentAllocation.source_entry_id,
            tables.PaymentAllocation.charge_entry_id,
            tables.PaymentAllocation.amount_cents,
        )
    ):
        for entry_id in (source, charge):
            if entry_id in left:
                left[entry_id] -= amount
    for _id, _kind, _loc, amount, refund_of in entries:
        if refund_of is not None:
            left[refund_of] -= amount
    return {
        entry_id: (EntryKind(kind), location_id, left[entry_id])
        for entry_id, kind, location_id, _amount, _of in entries
    }


def recounted(db: Session, family_id: int) -> Figures:
    """The family's totals counted here: a charge is open for what it has left, a payment or
    credit unapplied for what it has left, never below 0."""
    figures: dict[int, list[int]] = {}
    entries = db.execute(select(Entry.id, Entry.amount_cents).where(Entry.family_id == family_id))
    amounts = {entry_id: amount for entry_id, amount in entries}
    for entry_id, (kind, location_id, left) in money_left(db, family_id).items():
        here = figures.setdefault(location_id, [0, 0, 0])
        here[0] += kind.sign * amounts[entry_id]
        if kind is EntryKind.CHARGE:
            here[1] += max(0, left)
        elif kind in (EntryKind.PAYMENT, EntryKind.CREDIT):
            here[2] += max(0, left)
    return {location: (b, o, u) for location, (b, o, u) in figures.items()}


def assert_found_by_the_totals(db: Session, family_id: int) -> None:
    """The open charges and unapplied payments and credits, found by reading back only as
    far as the kept totals say, are every one with money left, oldest first."""
    left = money_left(db, family_id)
    dates = db.execute(select(Entry.id, Entry.entry_date).where(Entry.family_id == family_id))
    order = {entry_id: day for entry_id, day in dates}
    for found, kinds in (
        (allocation.open_charges(db, family_id), {EntryKind.CHARGE}),
        (allocation.unapplied_sources(db, family_id), {EntryKind.PAYMENT, EntryKind.CREDIT}),
    ):
        expected = sorted(
            (
                (entry_id, rest)
                for entry_id, (kind, _loc, rest) in left.items()
                if kind in kinds and rest > 0
            ),
            key=lambda pair: (order[pair[0]], pair[0]),
        )
        assert [(entry.id, rest) for entry, rest in found] == expected


def kept_amounts(db: Session, family_id: int) -> Buckets:
    """The family's entries counted by amount as the database keeps them."""
    db.flush()
    count = tables.LedgerAmount
    rows = db.execute(
        select(count.location_id, count.kind, count.amount_cents, count.year, count.entries).where(
            count.family_id == family_id
        )
    )
    return {(loc, kind, amount, year): n for loc, kind, amount, year, n in rows}


def counted_amounts(db: Session, family_id: int) -> Buckets:
    """The same, counted here from the entries."""
    entries = db.execute(
        select(Entry.location_id, Entry.kind, Entry.amount_cents, Entry.entry_date).where(
            Entry.family_id == family_id
        )
    )
    counts = Counter(
        (loc, EntryKind(kind).value, amount, day.year) for loc, kind, amount, day in entries
    )
    return dict(counts)


def assert_kept(db: Session, family_id: int) -> None:
    figures = kept(db, family_id)
    assert figures == recounted(db, family_id)
    assert kept_amounts(db, family_id) == counted_amounts(db, family_id)
    assert_found_by_the_totals(db, family_id)
    summary = account.summary(db=db, family_id=family_id, show_credit=True)
    assert summary.balance_cents == sum(b for b, _o, _u in figures.values())
    assert summary.outstanding_cents == sum(o for _b, o, _u in figures.values())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(writes=random_writes.operations(refunds=True, max_size=8))
def test_random_writes_keep_every_total(db_url: str, writes: list[Any]) -> None:
    """Payments through the service, backdated charges, refunds (of a payment or credit, up
    to more than is left of it, or of nothing), credits and Apply Credit: afterwards each
    location's totals are what a recount of the ledger gives, and the account shows them; so
    are its entries counted by amount."""
    engine = make_engine(db_url)
    small_batches = patch.object(allocation, "BATCH", 3)  # they read on past the first batch
    with small_batches, make_sessionmaker(engine)() as db:
        family = family_access(db)
        random_writes.run(db, family, writes)
        assert_kept(db, family.id)
        db.rollback()
    engine.dispose()


def test_the_seeds_count_every_familys_totals(db_url: str) -> None:
    """The demo and the benchmark data (whose big ledger has credits and refunds) count
    their totals and their entries by amount as a recount gives them."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=2, ledger_rows=200)
        families = db.scalars(select(tables.Family.id)).all()
        assert len(families) > 4
        for family_id in families:
            assert kept(db, family_id) == recounted(db, family_id)
            assert_found_by_the_totals(db, family_id)
            assert kept_amounts(db, family_id) == counted_amounts(db, family_id)
        big = db.scalars(
            select(tables.Family.id).where(tables.Family.name == "Ledger Family")
        ).one()
        assert len(kept(db, big)) == 2
        kinds = db.scalars(select(Entry.kind).where(Entry.family_id == big)).all()
        assert len(kinds) == 200
        assert set(kinds) == set(EntryKind)
    engine.dispose()


def test_0008_counts_the_totals_of_the_ledger_there_is(db_url: str) -> None:
    """Back at 0007 the demo gets a refund of more than is left of a payment; the upgrade
    counts every family's totals as a recount of its ledger gives them."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ledger_entries (family_id, kind, entry_date, location_id, "
                "amount_cents, description, refund_of_id, created_at, place_all, place_kind, "
                "place_loc, place_loc_kind, balance_after, location_balance_after) "
                "SELECT family_id, 'refund', entry_date, location_id, amount_cents + 100, "
                "'Refund', id, created_at, 0, 0, 0, 0, 0, 0 FROM ledger_entries "
                "WHERE id = (SELECT max(id) FROM ledger_entries WHERE kind = 'payment')"
            )
        )

    upgrade(engine)

    with make_sessionmaker(engine)() as db:
        families = db.scalars(select(tables.Family.id)).all()
        assert len(families) > 2
        for family_id in families:
            assert kept(db, family_id) == recounted(db, family_id)
    engine.dispose()


def test_racing_payments_and_apply_credits_keep_the_totals(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """Twenty payments and three Apply Credits at once, each on its own session: the totals
    are what a recount gives."""
    visa = visa_id(api, auth)
    body = PaymentRequest(amount_cents=1500, method_id=visa)
    writes: list[Any] = [_paying(uuid.uuid4().hex, body) for _ in range(20)]
    writes += [lambda db: credit.apply(family_access(db), ApplyCredit(total_cents=3500))] * 3
    statuses = _in_threads(db_url, writes)
    assert statuses.count(200) == 21

    def check(db: Session) -> None:
        assert_kept(db, family_access(db).id)

    change(db_url, check)
