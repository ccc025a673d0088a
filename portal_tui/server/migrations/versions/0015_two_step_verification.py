"""two-step verification: a secret being turned on, when it was, the last code's step, and
recovery codes

Users who had none keep having none: two-step verification stays off until they turn it on.
The downgrade keeps `users.totp_secret` (older than this revision): after an upgrade again,
two-step verification is on for whoever had it on, without recovery codes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal_tui.server.coltypes

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "totp_enabled_at",
                portal_tui.server.coltypes.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_codes_code_hash")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_pending_secret")
