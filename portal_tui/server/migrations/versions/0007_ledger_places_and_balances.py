"""each ledger entry's places and the balances after it

Every entry keeps its place (1 = oldest, in (entry date, id) order) among its family's
entries, among those of its kind, of its location, and of its location and kind; and the
family's and its location's balance right after it, so a ledger page reads its balances
instead of summing them, and a page can be found by position. The upgrade fills them for
every entry there is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 17:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PLACES = ("place_all", "place_kind", "place_loc", "place_loc_kind")
BALANCES = ("balance_after", "location_balance_after")
INDEXES = {
    "ix_ledger_place_all": ["family_id", "place_all"],
    "ix_ledger_place_kind": ["family_id", "kind", "place_kind"],
    "ix_ledger_place_loc": ["family_id", "location_id", "place_loc"],
    "ix_ledger_place_loc_kind": ["family_id", "location_id", "kind", "place_loc_kind"],
}

RECOMPUTE = """
UPDATE ledger_entries SET
    place_all = r.place_all,
    place_kind = r.place_kind,
    place_loc = r.place_loc,
    place_loc_kind = r.place_loc_kind,
    balance_after = r.balance_after,
    location_balance_after = r.location_balance_after
FROM (
    SELECT
        id,
        row_number() OVER (PARTITION BY family_id ORDER BY entry_date, id) AS place_all,
        row_number() OVER (PARTITION BY family_id, kind ORDER BY entry_date, id) AS place_kind,
        row_number() OVER (PARTITION BY family_id, location_id ORDER BY entry_date, id)
            AS place_loc,
        row_number() OVER (PARTITION BY family_id, location_id, kind ORDER BY entry_date, id)
            AS place_loc_kind,
        sum(signed) OVER (PARTITION BY family_id ORDER BY entry_date, id
            ROWS UNBOUNDED PRECEDING) AS balance_after,
        sum(signed) OVER (PARTITION BY family_id, location_id ORDER BY entry_date, id
            ROWS UNBOUNDED PRECEDING) AS location_balance_after
    FROM (
        SELECT id, family_id, kind, location_id, entry_date,
            CASE WHEN kind IN ('charge', 'refund') THEN amount_cents ELSE -amount_cents END
                AS signed
        FROM ledger_entries
    ) AS e
) AS r
WHERE ledger_entries.id = r.id
"""
"""Every entry's place (1 = oldest, in (entry date, id) order) among the family's entries,
those of its kind, of its location, and of its location and kind; and the balance after it
of the family and of its location (charges and refunds raise it). SQLite >= 3.33 and
PostgreSQL both run it."""


def upgrade() -> None:
    with sqlite_foreign_keys_off():
        for name in PLACES:
            op.add_column("ledger_entries", sa.Column(name, sa.Integer(), nullable=True))
        for name in BALANCES:
            op.add_column("ledger_entries", sa.Column(name, sa.BigInteger(), nullable=True))
        op.execute(RECOMPUTE)
        with op.batch_alter_table("ledger_entries") as batch_op:
            for name in PLACES:
                batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
            for name in BALANCES:
                batch_op.alter_column(name, existing_type=sa.BigInteger(), nullable=False)
        for index, columns in INDEXES.items():
            op.create_index(index, "ledger_entries", columns)


def downgrade() -> None:
    with sqlite_foreign_keys_off():
        for index in INDEXES:
            op.drop_index(index, table_name="ledger_entries")
        with op.batch_alter_table("ledger_entries") as batch_op:
            for name in (*PLACES, *BALANCES):
                batch_op.drop_column(name)
