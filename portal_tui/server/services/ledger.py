"""The ledger, newest first, keyset-paged, each row with the balance right after it."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, select, tuple_
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Invalid
from portal_tui.wire.common import MAX_ID, Page
from portal_tui.wire.ledger import EntryKind, LedgerRow

Key = tuple[date, int]
"""A row's place in the ledger: (entry date, id). Pages run from the newest key down."""


def encode_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(f"{key[0].isoformat()}:{key[1]}".encode()).decode()


def decode_cursor(cursor: str) -> Key:
    """The key a cursor names; 422 for anything this server did not make (ids bounded)."""
    try:
        day, _, entry_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        key = date.fromisoformat(day), int(entry_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise Invalid("The page cursor is not valid.", fields={"cursor": "not valid"}) from exc
    if not 1 <= key[1] <= MAX_ID:
        raise Invalid("The page cursor is not valid.", fields={"cursor": "not valid"})
    return key


def scope(family_id: int, location_id: int | None) -> list[Any]:
    """The family's ledger entries, or those at one location."""
    where: list[Any] = [tables.LedgerEntry.family_id == family_id]
    if location_id is not None:
        where.append(tables.LedgerEntry.location_id == location_id)
    return where


def list_entries(
    *,
    db: Session,
    family_id: int,
    location_id: int | None = None,
    kind: EntryKind | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Page[LedgerRow]:
    """One page of entries; each row's balance is the one kept with it, of the scope (the
    family, or the family at a location)."""
    entry = tables.LedgerEntry
    key = tuple_(entry.entry_date, entry.id)
    query = (
        row_select()
        .where(*scope(family_id, location_id))
        .order_by(entry.entry_date.desc(), entry.id.desc())
        .limit(limit + 1)
    )
    if kind is not None:
        query = query.where(entry.kind == kind.value)
    if cursor is not None:
        query = query.where(key < tuple_(*decode_cursor(cursor)))
    rows = db.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return Page[LedgerRow](items=[], next_cursor=None)

    last: Key = (rows[-1][0].entry_date, rows[-1][0].id)
    items = [to_row(row, of_location=location_id is not None) for row in rows]
    return Page[LedgerRow](items=items, next_cursor=encode_cursor(last) if more else None)


def row_select() -> Select[tables.LedgerEntry, str, str, str]:
    """Entries with what a row shows of them: their location's and student's names."""
    entry = tables.LedgerEntry
    return (
        select(entry, tables.Location.name, tables.Student.first_name, tables.Student.last_name)
        .join(tables.Location, tables.Location.id == entry.location_id)
        .outerjoin(tables.Student, tables.Student.id == entry.student_id)
    )


def to_row(row: Row[*tuple[Any, ...]], *, of_location: bool) -> LedgerRow:
    """A `row_select` row on the wire; its balance is the one kept with the entry, of the
    scope (the family, or the family at a location)."""
    e, location_name, first_name, last_name = row[0], row[1], row[2], row[3]
    return LedgerRow(
        id=e.id,
        entry_date=e.entry_date,
        kind=EntryKind(e.kind),
        description=e.description,
        location_id=e.location_id,
        location_name=location_name,
        student_name=f"{first_name} {last_name}" if first_name else None,
        amount_cents=e.amount_cents,
        balance_cents=e.location_balance_after if of_location else e.balance_after,
        refund_of_id=e.refund_of_id,
    )
