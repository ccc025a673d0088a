"""failed sign-ins per client address

One row per client address with failed sign-ins lately: how many, and when the latest was.
Sign-ins from an address with many are slowed, then refused for a while.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 22:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal_tui.server.coltypes

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "last_failed_at",
            portal_tui.server.coltypes.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        op.f("ix_sign_in_failures_last_failed_at"), "sign_in_failures", ["last_failed_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_failures_last_failed_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
