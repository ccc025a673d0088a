"""The ledger by position: any window of a filter's entries, newest first or largest amount
first, and where a day falls among them. In date order each is a probe of an index whatever
the ledger's size: an entry's stored place in the filter's view (1 = oldest) is its
newest-first index counted from the other end. In amount order no place is kept: a window
skips entries along the filter's (amount, date, id) index from the nearer end.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal_tui.server import tables
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
    view = _view(family_id, location_id, kind)
    if sort is LedgerSort.AMOUNT:
        return _by_amount(db, view, of_location=location_id is not None, start=start, limit=limit)
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
SMALLEST_FIRST = (Entry.amount_cents.asc(), Entry.entry_date.asc(), Entry.id.asc())


def _by_amount(
    db: Session, view: View, *, of_location: bool, start: int, limit: int
) -> LedgerWindow:
    """The window at `start` in largest-amount-first order (ties newest first).

    `total` is the filter's count, read from its newest entry's place (one index probe, as
    in date order; a COUNT would read every entry of the filter). The window is OFFSET/LIMIT
    along the scope's (amount, date, id) index, taken from whichever end is nearer: it steps
    over min(start, total - start) index entries (a covering index: no table rows are read to
    skip), so the cost grows towards the middle of a big ledger: at 100,000 entries a window
    of 100 took 2.6 ms at either end and 3.9 ms in the middle on SQLite (4.0 / 7.7 ms on
    PostgreSQL), against 2.1-2.4 ms (3.5 ms) in date order; at 1,000,000 on SQLite, 2.6 ms
    at the ends and 23 ms in the middle. Only the window's ids are skipped to; its rows are
    then joined to their names."""
    _, scope = view
    total = db.scalar(select(_total(view))) or 0
    end = min(start + limit, total)
    if start >= end:
        return LedgerWindow(total=total, start=start, items=[])
    from_top = start <= total - end
    order = LARGEST_FIRST if from_top else SMALLEST_FIRST
    ids = (
        select(Entry.id)
        .where(*scope)
        .order_by(*order)
        .offset(start if from_top else total - end)
        .limit(end - start)
        .subquery()
    )
    rows = list(db.execute(row_select().join(ids, ids.c.id == Entry.id).order_by(*order)).all())
    if not from_top:
        rows.reverse()
    items = [to_row(row, of_location=of_location) for row in rows]
    return LedgerWindow(total=total, start=start, items=items)


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
