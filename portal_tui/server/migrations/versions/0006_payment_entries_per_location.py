"""a payment's entries per location

A payment that pays charges at several locations is one entry per location, all under the
payment's Idempotency-Key: the key is unique per family and location, not per family.

The downgrade refuses a database holding such a payment (two entries under one key): it
could not keep both under the old constraint, and merging them would move money between
locations.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 16:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD = ["family_id", "idempotency_key"]
NEW = ["family_id", "idempotency_key", "location_id"]


def _key_columns(columns: list[str]) -> None:
    with sqlite_foreign_keys_off(), op.batch_alter_table("ledger_entries") as batch_op:
        batch_op.drop_constraint("uq_ledger_idempotency", type_="unique")
        batch_op.create_unique_constraint("uq_ledger_idempotency", columns)


def upgrade() -> None:
    _key_columns(NEW)


def downgrade() -> None:
    shared = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM (SELECT family_id, idempotency_key FROM ledger_entries "
            "WHERE idempotency_key IS NOT NULL GROUP BY family_id, idempotency_key "
            "HAVING count(*) > 1) AS split"
        )
    )
    if shared:
        raise RuntimeError(
            f"{shared} payments are recorded at several locations; the old schema cannot "
            "hold them. Restore a backup taken before the upgrade instead."
        )
    _key_columns(OLD)
