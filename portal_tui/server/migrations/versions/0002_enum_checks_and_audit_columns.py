"""enum check constraints; audit source, client address and records

Every column holding an enum value gets a CHECK constraint naming its allowed values
(the ledger's kind already had one). The audit log gains what made each write, the
client's address and the records written, and a (family_id, at) index that replaces the
index on family_id alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 06:05:18.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ENUM_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "guardians": {"login_access": ("none", "invite_sent", "can_log_in", "invite_revoked")},
    "invitations": {"status": ("sent", "accepted", "revoked")},
    "phones": {"label": ("mobile", "home", "work")},
    "enrollments": {
        "kind": ("regular", "waitlist", "makeup"),
        "status": ("current", "past", "dropped", "cancelled"),
    },
    "evaluations": {"status": ("passed", "in progress", "not yet")},
    "attendance": {"status": ("present", "absent", "late", "excused")},
    "makeup_tokens": {"status": ("available", "pending", "spent", "expired")},
    "payment_methods": {"kind": ("card", "bank")},
}
"""The values each enum column allows at this revision, written out: a migration records
the schema as it was, whatever the enums become later."""


def _check_name(table: str, column: str) -> str:
    return f"ck_{table}_{column}_known"


def _allows(column: str, values: tuple[str, ...]) -> str:
    """The constraint's condition, as the tables' metadata renders it."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


def upgrade() -> None:
    with sqlite_foreign_keys_off():
        _upgrade()


def downgrade() -> None:
    with sqlite_foreign_keys_off():
        _downgrade()


def _refuse_unknown_values() -> None:
    """Name every value the new constraints would refuse, before anything is changed."""
    bind = op.get_bind()
    found = []
    for table, columns in ENUM_VALUES.items():
        for column, values in columns.items():
            held: sa.ColumnClause[str] = sa.column(column)
            query = sa.select(held).distinct().select_from(sa.table(table))
            unknown = bind.execute(query.where(held.not_in(values))).scalars().all()
            if unknown:
                found.append(f"{table}.{column} holds {sorted(unknown)}")
    if found:
        raise RuntimeError(
            "Values outside their enum; correct them and migrate again: " + "; ".join(found)
        )


def _upgrade() -> None:
    _refuse_unknown_values()
    for table, columns in ENUM_VALUES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(
                    batch_op.f(_check_name(table, column)), _allows(column, values)
                )

    # Rows written before this revision get an empty source and no records; the defaults
    # exist only to fill them and are dropped at once.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("client_address", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("records", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.drop_index(batch_op.f("ix_audit_log_family_id"))
        batch_op.create_index("ix_audit_log_family_at", ["family_id", "at"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("source", existing_type=sa.String(length=40), server_default=None)
        batch_op.alter_column("records", existing_type=sa.JSON(), server_default=None)


def _downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_family_at")
        batch_op.create_index(batch_op.f("ix_audit_log_family_id"), ["family_id"], unique=False)
        batch_op.drop_column("records")
        batch_op.drop_column("client_address")
        batch_op.drop_column("source")

    for table, columns in reversed(ENUM_VALUES.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_constraint(batch_op.f(_check_name(table, column)), type_="check")
