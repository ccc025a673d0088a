"""the network address each session signed in from

The Security tab lists the user's sessions with where each signed in from; sessions made
before this revision have none recorded (an empty address).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 22:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:  # existing rows get "", then no default
        batch.add_column(
            sa.Column("client_address", sa.String(64), nullable=False, server_default="")
        )
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("client_address", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("client_address")
