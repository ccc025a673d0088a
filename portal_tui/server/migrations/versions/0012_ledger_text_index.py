"""the ledger's text index: descriptions by trigram

A search of descriptions for 3 or more characters reads the entries holding them instead of
a whole filter. SQLite: an FTS5 trigram table over ledger_entries.description (external
content) kept in step by triggers, filled here. PostgreSQL: the pg_trgm extension and a GIN
index on description. The downgrade drops the table and its triggers, or the index; it keeps
the extension (a database-wide object that something else may use).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 22:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

REMOVE = "INSERT INTO ledger_fts(ledger_fts, rowid, description) "
REMOVE += "VALUES ('delete', old.id, old.description);"
ADD = "INSERT INTO ledger_fts(rowid, description) VALUES (new.id, new.description);"
TRIGGERS = {
    "ledger_fts_insert": f"AFTER INSERT ON ledger_entries BEGIN {ADD} END",
    "ledger_fts_delete": f"AFTER DELETE ON ledger_entries BEGIN {REMOVE} END",
    "ledger_fts_update": f"AFTER UPDATE OF description ON ledger_entries BEGIN {REMOVE} {ADD} END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE ledger_fts USING fts5(description, content='ledger_entries', "
            "content_rowid='id', tokenize='trigram')"
        )
        for trigger, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")
        op.execute("INSERT INTO ledger_fts(ledger_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_ledger_description_trgm ON ledger_entries "
            "USING gin (description gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE ledger_fts")
    else:
        op.execute("DROP INDEX ix_ledger_description_trgm")
