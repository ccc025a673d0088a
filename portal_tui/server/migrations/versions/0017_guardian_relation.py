"""how each guardian is related to the students

"Add Guardian" asks how the new guardian is related ("Mother", "Grandparent"), and each
guardian's column shows it. Guardians made before this revision have none given (an empty
relation) until someone edits them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with sqlite_foreign_keys_off():  # SQLite rebuilds guardians, which other tables reference
        with op.batch_alter_table("guardians") as batch:  # existing rows get "", then no default
            batch.add_column(
                sa.Column("relation", sa.String(40), nullable=False, server_default="")
            )
        with op.batch_alter_table("guardians") as batch:
            batch.alter_column("relation", existing_type=sa.String(40), server_default=None)


def downgrade() -> None:
    with sqlite_foreign_keys_off(), op.batch_alter_table("guardians") as batch:
        batch.drop_column("relation")
