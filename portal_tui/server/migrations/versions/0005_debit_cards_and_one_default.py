"""debit cards; one default payment method per guardian

A stored method's kind may now be "debit" (a debit card) beside "card" (a credit card) and
"bank". A partial unique index lets each guardian have at most one default among the methods
not removed, on SQLite and PostgreSQL alike.

The upgrade refuses (changing nothing) where a guardian already has two defaults. The
downgrade turns debit cards into credit cards ("card"), the only card kind before this
revision: the card, its token and last four are kept, only the credit/debit distinction is lost.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHECK = "ck_payment_methods_kind_known"
ONE_DEFAULT = "uq_payment_methods_one_default"
WHERE = "is_default AND NOT removed"
KINDS_BEFORE = ("card", "bank")
KINDS_AFTER = ("card", "debit", "bank")
"""The kinds allowed before and after, written out as the tables' metadata renders them."""


def _allows(values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{value}'" for value in values)
    return f"kind IN ({listed})"


def _kinds_allowed(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("payment_methods", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(CHECK), type_="check")
        batch_op.create_check_constraint(batch_op.f(CHECK), _allows(values))


def _refuse_two_defaults() -> None:
    methods = sa.table(
        "payment_methods", sa.column("guardian_id"), sa.column("is_default"), sa.column("removed")
    )
    query = (
        sa.select(methods.c.guardian_id)
        .where(sa.text(WHERE))
        .group_by(methods.c.guardian_id)
        .having(sa.func.count() > 1)
    )
    twice = op.get_bind().execute(query).scalars().all()
    if twice:
        raise RuntimeError(
            f"Guardians with more than one default payment method: {sorted(twice)}; "
            "leave one default each and migrate again."
        )


def upgrade() -> None:
    _refuse_two_defaults()
    with sqlite_foreign_keys_off():
        _kinds_allowed(KINDS_AFTER)
    op.create_index(
        ONE_DEFAULT,
        "payment_methods",
        ["guardian_id"],
        unique=True,
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index(ONE_DEFAULT, table_name="payment_methods")
    op.execute("UPDATE payment_methods SET kind = 'card' WHERE kind = 'debit'")
    with sqlite_foreign_keys_off():
        _kinds_allowed(KINDS_BEFORE)
