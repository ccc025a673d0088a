"""indexes on (family, [location,] [kind,] amount, entry date, id)

Transaction History sorted by amount (largest first, ties newest first) reads a window by
OFFSET/LIMIT along one of these, one per filter scope, instead of sorting the filter's entries.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 19:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_ledger_amount": ["family_id", "amount_cents", "entry_date", "id"],
    "ix_ledger_kind_amount": ["family_id", "kind", "amount_cents", "entry_date", "id"],
    "ix_ledger_location_amount": ["family_id", "location_id", "amount_cents", "entry_date", "id"],
    "ix_ledger_location_kind_amount": [
        "family_id",
        "location_id",
        "kind",
        "amount_cents",
        "entry_date",
        "id",
    ],
}


def upgrade() -> None:
    for index, columns in INDEXES.items():
        op.create_index(index, "ledger_entries", columns)


def downgrade() -> None:
    for index in INDEXES:
        op.drop_index(index, table_name="ledger_entries")
