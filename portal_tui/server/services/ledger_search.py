"""Searching a filter's descriptions: the newest matches, at most a bounded number."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.services.ledger import row_select, to_row
from portal_tui.wire.ledger import EntryKind, LedgerMatches

Entry = tables.LedgerEntry


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

    `%` and `_` in `text` match themselves. The scan walks the filter's (date, id) index
    newest first and stops at the `limit + 1`th match: its cost is bounded by the result's
    size when matches are common, and by the filter's size when they are rare (no text index).
    """
    scope = [Entry.family_id == family_id]
    if location_id is not None:
        scope.append(Entry.location_id == location_id)
    if kind is not None:
        scope.append(Entry.kind == kind.value)
    query = (
        row_select()
        .where(*scope, Entry.description.icontains(text, autoescape=True))
        .order_by(Entry.entry_date.desc(), Entry.id.desc())
        .limit(limit + 1)
    )
    rows = db.execute(query).all()
    items = [to_row(row, of_location=location_id is not None) for row in rows[:limit]]
    return LedgerMatches(items=items, more=len(rows) > limit)
