"""Searching a filter's descriptions: the newest matches, at most a bounded number."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Row, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter

from portal_tui.server import tables
from portal_tui.server.services.ledger import row_select, to_row
from portal_tui.server.services.ledger_window import View, _total, _view
from portal_tui.server.tables.ledger_text import fts, fts_holds
from portal_tui.wire.ledger import EntryKind, LedgerMatches

Entry = tables.LedgerEntry

Rows = list[Row[tables.LedgerEntry, str, str, str]]
"""Matching entries as `row_select` gives them."""
NEWEST_FIRST = (Entry.entry_date.desc(), Entry.id.desc())
TRIGRAM = 3
"""The text index holds each run of this many characters: shorter texts are only scanned."""
SCANNED_PER_MATCH = 8
"""On SQLite the newest `SCANNED_PER_MATCH * (limit + 1)` entries of the filter are scanned
before the text index is asked: enough when one entry in this many matches."""
HITS_MAX = 10_000
"""Past this many entries holding the text (of all families) the scan goes on instead of
reading them all from the text index."""
FILTERED = (
    Entry.id,
    Entry.family_id,
    Entry.location_id,
    Entry.kind,
    Entry.entry_date,
    Entry.description,
)
"""The columns a search's conditions read."""


def search(
    *,
    db: Session,
    family_id: int,
    location_id: int | None = None,
    kind: EntryKind | None = None,
    text: str,
    limit: int,
) -> LedgerMatches:
    """The filter's entries whose description holds `text` (case-insensitive; on SQLite only
    ASCII letters fold), newest first, at most `limit` of them, and whether older ones match.

    `%` and `_` in `text` match themselves. Without a text index the filter's (date, id)
    index is walked newest first to the `limit + 1`th match: cheap when matches are common,
    the whole filter when they are rare. With one (tables/ledger_text) a rare text costs
    about the entries holding it. On PostgreSQL that one query is all: its planner reads the
    pg_trgm index for a rare text and walks the date index for a common one. SQLite's
    planner cannot weigh its FTS index, so it is asked only after a short scan
    (`_scanned_then_indexed`). A text shorter than a trigram is always scanned.

    Searching for 1,000 (the client's limit), before / after the text index: in a family of
    1,000,000 entries on SQLite, no match 775 / 13 ms, 3 old matches 800 / 13 ms, 6,174
    matches 157 / 92 ms, 6,294 old ones 695 / 62 ms, one entry in four 26 / 30 ms, 2
    characters 730 / 740 ms (scanned); of 300,000 on PostgreSQL, no match 286 / 3 ms, 3 old
    300 / 4 ms, 6,174 348 / 59 ms, one in four 30 / 35 ms. The demo family: 1-4 ms both.
    """
    view = _view(family_id, location_id, kind)
    _, scope = view
    if db.get_bind().dialect.name == "sqlite" and len(text) >= TRIGRAM:
        rows = _scanned_then_indexed(db, view, text, limit)
    else:
        rows = _scanned(db, [*scope, holds(text)], limit + 1)
    items = [to_row(row, of_location=location_id is not None) for row in rows[:limit]]
    return LedgerMatches(items=items, more=len(rows) > limit)


def holds(text: str) -> ColumnElement[bool]:
    """The search's condition: the description holds `text`, in any case, `%` and `_` literal."""
    return Entry.description.icontains(text, autoescape=True)


def _scanned(db: Session, where: list[ColumnElement[bool]], limit: int) -> Rows:
    """The newest `limit` entries meeting `where`, along the filter's (date, id) index."""
    query = row_select().where(*where).order_by(*NEWEST_FIRST).limit(limit)
    return list(db.execute(query).all())


def _scanned_then_indexed(db: Session, view: View, text: str, limit: int) -> Rows:
    """The newest `limit + 1` matches (SQLite): the newest `SCANNED_PER_MATCH * (limit + 1)`
    entries are scanned (their edge found by place, one probe); if they hold too few, the
    older ones come from the FTS index unless more than `HITS_MAX` entries hold the text,
    when the scan goes on."""
    place, scope = view
    holding = holds(text)
    newest = _total(view) - SCANNED_PER_MATCH * (limit + 1) + 1
    edge = db.execute(select(Entry.entry_date, Entry.id).where(*scope, place == newest)).first()
    if edge is None:  # the filter is that short
        return _scanned(db, [*scope, holding], limit + 1)
    key, at = tuple_(Entry.entry_date, Entry.id), tuple_(*edge)
    rows = _scanned(db, [*scope, holding, key >= at], limit + 1)
    if len(rows) <= limit:
        older, wanted = [*scope, holding, key < at], limit + 1 - len(rows)
        few = _hits(db, text) <= HITS_MAX
        rows += _indexed(db, older, text, wanted) if few else _scanned(db, older, wanted)
    return rows


def _hits(db: Session, text: str) -> int:
    """How many entries of any family the FTS index finds holding `text`, counted from the
    index alone as far as `HITS_MAX + 1`."""
    found = select(fts.c.rowid).where(fts_holds(text)).limit(HITS_MAX + 1).subquery()
    return db.scalar(select(func.count()).select_from(found)) or 0


def _indexed(db: Session, where: list[ColumnElement[bool]], text: str, limit: int) -> Rows:
    """The newest `limit` entries meeting `where` among those the FTS index finds holding
    `text` (of any family, any case: `where` checks them again). They are all read first (a
    materialized CTE), then filtered and sorted: `where` is put on the CTE's columns, so no
    plan walks a date index instead (as SQLite does, taking a family for a few rows when it
    has no statistics)."""
    found = select(*FILTERED).join_from(fts, Entry, Entry.id == fts.c.rowid)
    hits = found.where(fts_holds(text)).cte("hits").prefix_with("MATERIALIZED")
    on_hits = ClauseAdapter(hits).traverse
    newest = (
        select(hits.c.id)
        .where(*(on_hits(condition) for condition in where))
        .order_by(hits.c.entry_date.desc(), hits.c.id.desc())
        .limit(limit)
        .subquery()
    )
    query = row_select().join(newest, newest.c.id == Entry.id).order_by(*NEWEST_FIRST)
    return list(db.execute(query).all())
