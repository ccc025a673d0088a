"""The ledger by position: any window of a filter's entries, newest first or largest amount
first, and where a day falls among them. In date order each is a probe of an index whatever
the ledger's size: an entry's stored place in the filter's view (1 = oldest) is its
newest-first index counted from the other end. In amount order the entries are counted per
amount and year as they are written: a window finds its bucket from the counts and skips
only within it along the filter's (amount, date, id) index.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal_tui.server import tables
from portal_tui.server.services import ledger_amounts
from portal_tui.server.services.ledger import row_select, to_row
from portal_tui.wire.ledger import EntryKind, LedgerPosition, LedgerSort, LedgerWindow

Entry = tables.LedgerEntry

View = tuple[InstrumentedAttribute[int], list[ColumnElement[bool]]]
"""A filter's place column and the conditions that select its entries."""


def _view(family_id: int, location_id: int | None, kind: EntryKind | None) -> View:
    scope = [Entry.family_id == family_id]
    if location_id is not None:
        scope.append(Entry.location_id == location_id)
    if kind is not None:
        scope.append(Entry.kind == kind.value)
    place = {
        (False, False): Entry.place_all,
        (False, True): Entry.place_kind,
        (True, False): Entry.place_loc,
        (True, True): Entry.place_loc_kind,
    }[location_id is not None, kind is not None]
    return place, scope


def _total(view: View) -> ColumnElement[int]:
    """The filter's number of entries: its newest entry's place (one probe of its index)."""
    place, scope = view
    return func.coalesce(select(func.max(place)).where(*scope).scalar_subquery(), 0)


def window(
    *,
    db: Session,
    family_id: int,
    location_id: int | None = None,
    kind: EntryKind | None = None,
    start: int = 0,
    limit: int = 100,
    sort: LedgerSort = LedgerSort.DATE,
) -> LedgerWindow:
    """The entries at indices start..start+limit-1 of the filter in `sort` order (fewer at
    the far end, none from `total` on). In date order they are read with the total in one
    statement so they agree."""
    if sort is LedgerSort.AMOUNT:
        return _by_amount(db, family_id, location_id, kind, start=start, limit=limit)
    view = _view(family_id, location_id, kind)
    place, scope = view
    total = _total(view)
    first, end = literal(start, BigInteger), literal(start + limit, BigInteger)  # no overflow
    query = (
        row_select()
        .add_columns(total.label("total"))
        .where(*scope, place > total - end, place <= total - first)
        .order_by(place.desc())
    )
    rows = db.execute(query).all()
    count = rows[0].total if rows else db.scalar(select(total))
    items = [to_row(row, of_location=location_id is not None) for row in rows]
    return LedgerWindow(total=count or 0, start=start, items=items)


LARGEST_FIRST = (Entry.amount_cents.desc(), Entry.entry_date.desc(), Entry.id.desc())


def _by_amount(
    db: Session,
    family_id: int,
    location_id: int | None,
    kind: EntryKind | None,
    *,
    start: int,
    limit: int,
) -> LedgerWindow:
    """The window at `start` in largest-amount-first order (ties newest first).

    The kept counts (services/ledger_amounts) give the filter's total and the bucket (one
    amount, one year) holding the entry at `start`: one statement over the filter's counts,
    one per (location, kind, amount, year) it has. The window's entries in that bucket are
    OFFSET/LIMIT along the scope's (amount, date, id) index from whichever end of the bucket
    is nearer, and any that follow the bucket are read from its end with no offset. So a
    window costs the filter's counts plus at most half of one bucket's index entries (a
    covering index: no table rows are read to skip), wherever it starts. The benchmark's
    1,000,000-entry family has 132 counts and its largest bucket 24,759 entries: on SQLite
    a window of 100 took 3.2-3.6 ms at its start, middle, end and across a bucket's end,
    for the family or one location, against 3.2-3.4 ms for the demo family (skipping along
    the whole index took 23 ms or more in the middle). Only the window's ids are skipped
    to; its rows are then joined to their names."""
    total, bucket = ledger_amounts.bucket_at(db, family_id, location_id, kind, start)
    end = min(start + limit, total)
    if bucket is None or start >= end:
        return LedgerWindow(total=total, start=start, items=[])
    in_bucket = min(end, bucket.above + bucket.entries) - start
    from_top, from_bottom = start - bucket.above, bucket.above + bucket.entries - start - in_bucket
    rest = end - start - in_bucket
    params: dict[str, Any] = {
        "family_id": family_id,
        "location_id": location_id,
        "kind": None if kind is None else kind.value,
        "amount": bucket.amount_cents,
        "since": date(bucket.year, 1, 1),
        "until": date(bucket.year + 1, 1, 1),
        "skip": min(from_top, from_bottom),
        "size": in_bucket,
        "rest": rest,
    }
    query = _amount_rows(
        location_id is not None, kind is not None, from_top <= from_bottom, rest > 0
    )
    items = [to_row(row, of_location=location_id is not None) for row in db.execute(query, params)]
    return LedgerWindow(total=total, start=start, items=items)


@cache
def _amount_rows(
    location: bool, kind: bool, from_top: bool, spans: bool
) -> Select[tables.LedgerEntry, str, str, str]:
    """A window's rows in largest-first order: `size` of them in the bucket of `amount`
    dated from `since` until `until`, skipping `skip` from its top or its bottom, and, when
    the window `spans` past the bucket, the `rest` that follow it."""
    scope = [Entry.family_id == bindparam("family_id")]
    if location:
        scope.append(Entry.location_id == bindparam("location_id"))
    if kind:
        scope.append(Entry.kind == bindparam("kind", type_=String))
    amount, since = bindparam("amount", type_=Integer), bindparam("since", type_=Date)
    inside = [*scope, Entry.amount_cents == amount, Entry.entry_date >= since]
    inside.append(Entry.entry_date < bindparam("until", type_=Date))
    newest = (Entry.entry_date.desc(), Entry.id.desc())
    oldest = (Entry.entry_date.asc(), Entry.id.asc())
    parts = [
        select(Entry.id)
        .where(*inside)
        .order_by(*(newest if from_top else oldest))
        .offset(bindparam("skip"))
        .limit(bindparam("size"))
    ]
    if spans:
        after = tuple_(Entry.amount_cents, Entry.entry_date) < tuple_(amount, since)
        parts.append(
            select(Entry.id).where(*scope, after).order_by(*LARGEST_FIRST).limit(bindparam("rest"))
        )
    ids = union_all(*(select(part.subquery().c.id) for part in parts)).subquery()
    return row_select().join(ids, ids.c.id == Entry.id).order_by(*LARGEST_FIRST)


def position(
    *,
    db: Session,
    family_id: int,
    location_id: int | None = None,
    kind: EntryKind | None = None,
    on: date,
) -> LedgerPosition:
    """The newest-first index of the filter's newest entry dated on or before `on` (found
    along the (scope, date, id) index), or None when there is none."""
    view = _view(family_id, location_id, kind)
    place, scope = view
    total = _total(view)
    found: Any = db.execute(
        select(place, total.label("total"))
        .where(*scope, Entry.entry_date <= on)
        .order_by(Entry.entry_date.desc(), Entry.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return LedgerPosition(total=db.scalar(select(total)) or 0, index=None)
    return LedgerPosition(total=found.total, index=found.total - found[0])
