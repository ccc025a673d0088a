"""each family's ledger totals per location

One row per family and location with an entry there: the balance, what the charges still
owe after their allocations, and the payments' and credits' unapplied credit, kept as
entries and allocations are written so that the account reads them instead of summing the
ledger. The upgrade counts them from the ledger there is. A refund is found by what it
refunds through a partial index (of the entries that refund another).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REFUNDS_WHERE = "refund_of_id IS NOT NULL"
COUNT = """
INSERT INTO ledger_totals (family_id, location_id, balance_cents, open_cents, unapplied_cents)
SELECT family_id, location_id, sum(balance), sum(open), sum(unapplied)
FROM (
    SELECT e.family_id, e.location_id,
        CASE WHEN e.kind IN ('charge', 'refund') THEN e.amount_cents ELSE -e.amount_cents END
            AS balance,
        CASE WHEN e.kind = 'charge' AND e.amount_cents > coalesce(c.amount, 0)
            THEN e.amount_cents - coalesce(c.amount, 0) ELSE 0 END AS open,
        CASE WHEN e.kind IN ('payment', 'credit')
                AND e.amount_cents > coalesce(s.amount, 0) + coalesce(r.amount, 0)
            THEN e.amount_cents - coalesce(s.amount, 0) - coalesce(r.amount, 0) ELSE 0 END
            AS unapplied
    FROM ledger_entries AS e
    LEFT JOIN (
        SELECT charge_entry_id AS id, sum(amount_cents) AS amount
        FROM payment_allocations GROUP BY charge_entry_id
    ) AS c ON c.id = e.id
    LEFT JOIN (
        SELECT source_entry_id AS id, sum(amount_cents) AS amount
        FROM payment_allocations GROUP BY source_entry_id
    ) AS s ON s.id = e.id
    LEFT JOIN (
        SELECT refund_of_id AS id, sum(amount_cents) AS amount
        FROM ledger_entries WHERE refund_of_id IS NOT NULL GROUP BY refund_of_id
    ) AS r ON r.id = e.id
) AS each_entry
GROUP BY family_id, location_id
"""
"""Each family's totals at each location from its entries and allocations: charges and
refunds raise the balance; a charge is open for what its allocations leave; a payment or
credit is unapplied for what its allocations and refunds leave (never below 0)."""


def upgrade() -> None:
    with sqlite_foreign_keys_off():
        op.create_table(
            "ledger_totals",
            sa.Column("family_id", sa.Integer(), nullable=False),
            sa.Column("location_id", sa.Integer(), nullable=False),
            sa.Column("balance_cents", sa.BigInteger(), nullable=False),
            sa.Column("open_cents", sa.BigInteger(), nullable=False),
            sa.Column("unapplied_cents", sa.BigInteger(), nullable=False),
            sa.ForeignKeyConstraint(
                ["family_id"], ["families.id"], name=op.f("fk_ledger_totals_family_id_families")
            ),
            sa.ForeignKeyConstraint(
                ["location_id"],
                ["locations.id"],
                name=op.f("fk_ledger_totals_location_id_locations"),
            ),
            sa.PrimaryKeyConstraint("family_id", "location_id", name=op.f("pk_ledger_totals")),
        )
        op.execute(COUNT)
        op.create_index(
            "ix_ledger_refund_of",
            "ledger_entries",
            ["refund_of_id"],
            sqlite_where=sa.text(REFUNDS_WHERE),
            postgresql_where=sa.text(REFUNDS_WHERE),
        )


def downgrade() -> None:
    with sqlite_foreign_keys_off():
        op.drop_index("ix_ledger_refund_of", table_name="ledger_entries")
        op.drop_table("ledger_totals")
