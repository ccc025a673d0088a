"""Each family's entries counted by location, kind, amount and year, kept as entries are
written, so that a window of the ledger sorted by amount (largest first, ties newest first)
finds the bucket (one amount, one year) holding its first entry from these counts instead of
stepping over the entries before it. A year, not a month: a month would make twelve times
the counts to sum for each window, and summing them costs more than skipping within a year.

`add_entry` counts each entry under the family's row lock; seeds that write whole ledgers
at once count them afterwards with `recount`. Entries are never deleted nor change amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    cast,
    delete,
    extract,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.services.ledger_totals import Families
from portal_tui.wire.ledger import EntryKind

Entry = tables.LedgerEntry
Count = tables.LedgerAmount
YEAR = cast(extract("year", Entry.entry_date), Integer)
"""An entry's year, in SQL."""


def entry_written(db: Session, entry: tables.LedgerEntry) -> None:
    """Count a new entry in its bucket (its first there makes the row). The caller holds the
    family's row lock, so no other writer adds the same row."""
    key = {
        "family_id": entry.family_id,
        "location_id": entry.location_id,
        "kind": EntryKind(entry.kind).value,
        "amount_cents": entry.amount_cents,
        "year": entry.entry_date.year,
    }
    counted = db.execute(
        update(Count)
        .where(*(getattr(Count, column) == value for column, value in key.items()))
        .values(entries=Count.entries + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount == 0:  # type: ignore[attr-defined]
        db.execute(insert(Count).values(**key, entries=1))


def recount(db: Session, family_ids: Families) -> None:
    """Count the families' entries afresh, in one pass over them: for seeds that write
    whole ledgers without `add_entry`."""
    keys = (Entry.family_id, Entry.location_id, Entry.kind, Entry.amount_cents, YEAR)
    counted = select(*keys, func.count()).where(Entry.family_id.in_(family_ids)).group_by(*keys)
    db.execute(delete(Count).where(Count.family_id.in_(family_ids)))
    columns = ["family_id", "location_id", "kind", "amount_cents", "year", "entries"]
    db.execute(insert(Count).from_select(columns, counted))


@dataclass(frozen=True)
class Bucket:
    """A filter's entries of one amount dated in one year, `entries` of them, after `above`
    entries of the filter in largest-first order."""

    amount_cents: int
    year: int
    above: int
    entries: int


def _where(location: bool, kind: bool) -> list[ColumnElement[bool]]:
    """The counts of a filter: parameters `family_id`, and `location_id` and `kind` when
    the filter has them."""
    where = [Count.family_id == bindparam("family_id")]
    if location:
        where.append(Count.location_id == bindparam("location_id"))
    if kind:
        where.append(Count.kind == bindparam("kind"))
    return where


@cache
def _running(location: bool, kind: bool) -> Select[Any]:
    """The filter's bucket holding index `start` (a parameter) in largest-first order, with
    the running sum of the counts through it and their total."""
    keys = (Count.amount_cents, Count.year)
    grouped = (
        select(*keys, func.sum(Count.entries).label("entries"))
        .where(*_where(location, kind))
        .group_by(*keys)
        .subquery()
    )
    order = (grouped.c.amount_cents.desc(), grouped.c.year.desc())
    running = select(
        grouped,
        func.sum(grouped.c.entries).over(order_by=order).label("through"),
        func.sum(grouped.c.entries).over().label("total"),
    ).subquery()
    return (
        select(running)
        .where(running.c.through > bindparam("start"))
        .order_by(running.c.through)
        .limit(1)
    )


def bucket_at(
    db: Session, family_id: int, location_id: int | None, kind: EntryKind | None, start: int
) -> tuple[int, Bucket | None]:
    """The filter's number of entries, and the bucket holding the one at index `start` in
    largest-first order (None from the total on): one pass over the filter's counts, with
    a running sum in SQL."""
    params: dict[str, Any] = {"family_id": family_id, "location_id": location_id, "start": start}
    params["kind"] = None if kind is None else kind.value
    found = db.execute(_running(location_id is not None, kind is not None), params).first()
    if found is None:
        where = _where(location_id is not None, kind is not None)
        total = db.scalar(select(func.coalesce(func.sum(Count.entries), 0)).where(*where), params)
        return int(total or 0), None
    entries, through = int(found.entries), int(found.through)
    bucket = Bucket(found.amount_cents, found.year, through - entries, entries)
    return int(found.total), bucket
