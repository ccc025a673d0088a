"""Row locks that hold on every backend.

`SELECT … FOR UPDATE` locks a row on PostgreSQL but SQLite ignores it. Writing the row
instead (a no-op UPDATE) locks it on PostgreSQL until the transaction ends, and makes SQLite
take its one write lock. Lock first, then count: two requests racing for the same thing then
count one after the other, and the later one sees what the earlier one wrote.

The column written is not the primary key: SQLite checks the rows that refer to a key it
sees written (a million ledger entries of one family took 80 ms), and PostgreSQL takes the
same row lock either way (its value does not change).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session


def lock_row(db: Session, table: Any, row_id: int) -> None:
    """Lock `table`'s row `row_id` (if there is one) until the transaction ends."""
    column = next(c for c in table.__table__.columns if not c.primary_key)
    db.execute(
        update(table)
        .where(table.id == row_id)
        .values({column: column})
        .execution_options(synchronize_session=False)
    )
