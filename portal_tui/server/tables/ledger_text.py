"""The ledger's text index: descriptions by trigram, so that a search for 3 or more characters
reads the entries holding them instead of a whole filter.

On SQLite it is an FTS5 table with the trigram tokenizer (case-insensitive) over
ledger_entries.description (external content: only the index is stored, rowid = entry id),
kept in step by triggers. On PostgreSQL it is a pg_trgm GIN index on description, which
serves ILIKE itself. The tables' metadata makes it with ledger_entries (`attach`); the schema
comparison leaves it out (`compared`), as the metadata cannot describe either.

SQLite drops a table's triggers with it: a migration that rebuilds ledger_entries (batch
mode) must make the triggers again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    column,
    event,
    literal_column,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

FTS = "ledger_fts"
"""The FTS5 table (SQLite)."""
FTS_TABLES = frozenset(
    {FTS, *(f"{FTS}_{shadow}" for shadow in ("data", "idx", "docsize", "config"))}
)
"""It and the shadow tables FTS5 keeps its index in."""
TRIGGERS = tuple(f"{FTS}_{change}" for change in ("insert", "delete", "update"))
TRIGRAM_INDEX = "ix_ledger_description_trgm"
"""The GIN index (PostgreSQL)."""

_REMOVE = "INSERT INTO ledger_fts(ledger_fts, rowid, description) "
_REMOVE += "VALUES ('delete', old.id, old.description);"
_ADD = "INSERT INTO ledger_fts(rowid, description) VALUES (new.id, new.description);"
CREATE = {
    "sqlite": (
        "CREATE VIRTUAL TABLE ledger_fts USING fts5(description, content='ledger_entries', "
        "content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER ledger_fts_insert AFTER INSERT ON ledger_entries BEGIN {_ADD} END",
        f"CREATE TRIGGER ledger_fts_delete AFTER DELETE ON ledger_entries BEGIN {_REMOVE} END",
        "CREATE TRIGGER ledger_fts_update AFTER UPDATE OF description ON ledger_entries "
        f"BEGIN {_REMOVE} {_ADD} END",
    ),
    "postgresql": (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX {TRIGRAM_INDEX} ON ledger_entries USING gin (description gin_trgm_ops)",
    ),
}
"""What makes the text index, by dialect."""


def attach(entries: Table) -> None:
    """Make the text index when the tables' metadata makes ledger_entries (and on SQLite drop
    the FTS table before it; its triggers go with it)."""

    @event.listens_for(entries, "after_create")
    def _create(_target: Table, connection: Connection, **_kw: Any) -> None:
        for statement in CREATE.get(connection.dialect.name, ()):
            connection.exec_driver_sql(statement)

    @event.listens_for(entries, "before_drop")
    def _drop(_target: Table, connection: Connection, **_kw: Any) -> None:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS}")


@contextmanager
def filled_at_the_end(db: Session) -> Iterator[None]:
    """Entries added inside go into the text index in one rebuild at the end, not one by one
    through the insert trigger (SQLite; for bulk seeding: the trigger added 72 s of CPU to
    the 90 s of seeding 1,000,000 entries, the rebuild a few). PostgreSQL keeps its index
    itself."""
    if db.get_bind().dialect.name != "sqlite":
        yield
        return
    (create_trigger,) = [
        s for s in CREATE["sqlite"] if s.startswith(f"CREATE TRIGGER {FTS}_insert")
    ]
    db.execute(text(f"DROP TRIGGER {FTS}_insert"))  # at once: pysqlite runs DDL outside
    try:  # a transaction, so the trigger must come back whatever happens inside
        yield
    except BaseException:
        db.rollback()  # what failed is undone; what was committed before it is indexed
        _restore(db, create_trigger)
        db.commit()
        raise
    _restore(db, create_trigger)


def _restore(db: Session, create_trigger: str) -> None:
    """The insert trigger back, and the index rebuilt over every entry."""
    db.execute(text(create_trigger))
    db.execute(text("INSERT INTO ledger_fts(ledger_fts) VALUES ('rebuild')"))


def compared(name: str | None, type_: str, _parents: object) -> bool:
    """The schema comparison's `include_name`: everything but the text index."""
    return not (
        (type_ == "table" and name in FTS_TABLES) or (type_ == "index" and name == TRIGRAM_INDEX)
    )


fts: TableClause = table(FTS, column("rowid"))


def fts_holds(text: str) -> ColumnElement[bool]:
    """The FTS rows whose description holds `text` as a phrase (3+ characters, any case)."""
    phrase = '"' + text.replace('"', '""') + '"'
    return literal_column(FTS).op("MATCH", is_comparison=True)(phrase)
