"""each family's ledger entries counted by location, kind, amount and year

A window of Transaction History sorted by amount finds the bucket (one amount, one year)
holding its first entry from these counts, kept as entries are written, and skips only
within that bucket instead of over every entry before it. The upgrade counts the ledger
there is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 22:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KEYS = ["family_id", "location_id", "kind", "amount_cents", "year"]


def _count() -> sa.Insert:
    """Every entry counted in its bucket."""
    entries = sa.table(
        "ledger_entries",
        sa.column("family_id", sa.Integer()),
        sa.column("location_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("amount_cents", sa.Integer()),
        sa.column("entry_date", sa.Date()),
    )
    year = sa.cast(sa.extract("year", entries.c.entry_date), sa.Integer)
    keys = [entries.c[key] for key in KEYS[:-1]] + [year]
    counted = sa.select(*keys, sa.func.count()).group_by(*keys)
    amounts = sa.table("ledger_amounts", *(sa.column(key) for key in [*KEYS, "entries"]))
    return sa.insert(amounts).from_select([*KEYS, "entries"], counted)


def upgrade() -> None:
    op.create_table(
        "ledger_amounts",
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_ledger_amounts_family_id_families")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_ledger_amounts_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_ledger_amounts")),
    )
    op.execute(_count())


def downgrade() -> None:
    op.drop_table("ledger_amounts")
