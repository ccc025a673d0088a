"""indexes on (family, [location,] kind, entry date, id)

Go to date finds a filter's newest entry on or before a day. The family's and the location's
(date, id) indexes serve the filters of every kind; these serve the filters of one kind, which
would otherwise scan back from the day until an entry of that kind turns up.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 19:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_ledger_family_kind_key": ["family_id", "kind", "entry_date", "id"],
    "ix_ledger_family_location_kind_key": ["family_id", "location_id", "kind", "entry_date", "id"],
}


def upgrade() -> None:
    for index, columns in INDEXES.items():
        op.create_index(index, "ledger_entries", columns)


def downgrade() -> None:
    for index in INDEXES:
        op.drop_index(index, table_name="ledger_entries")
