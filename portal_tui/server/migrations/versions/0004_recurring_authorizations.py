"""recurring-billing authorizations

A row each time a guardian turns a stored method's recurring-billing authorization on or off:
the user, the method, when (UTC), the version of the authorization text, granted or withdrawn.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 12:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal_tui.server.coltypes

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recurring_authorizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("payment_method_id", sa.Integer(), nullable=False),
        sa.Column("at", portal_tui.server.coltypes.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_method_id"],
            ["payment_methods.id"],
            name=op.f("fk_recurring_authorizations_payment_method_id_payment_methods"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recurring_authorizations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_authorizations")),
    )
    with op.batch_alter_table("recurring_authorizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recurring_authorizations_payment_method_id"),
            ["payment_method_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("recurring_authorizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recurring_authorizations_payment_method_id"))
    op.drop_table("recurring_authorizations")
