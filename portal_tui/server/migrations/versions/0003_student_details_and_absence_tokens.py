"""student gender and medical notes; makeup attendance; the token an absence earned

Students gain an optional gender (checked against its values) and medical notes. Attendance
may record that a student came as a makeup. A future absence names the makeup token it
earned, when it was given with enough notice. Every check-in code not in the current form
("PT1-" and 20 base32 characters) is replaced by a fresh random one: older codes (STU-000001
and the like) could be guessed, and the check-in endpoint refuses to show them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 08:40:00.000000
"""

from __future__ import annotations

import base64
import re
import secrets

import sqlalchemy as sa
from alembic import op

from portal_tui.server.migrations.batch import sqlite_foreign_keys_off

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GENDERS = ("female", "male", "nonbinary")
ATTENDANCE_BEFORE = ("present", "absent", "late", "excused")
ATTENDANCE_AFTER = (*ATTENDANCE_BEFORE, "makeup")
"""The values at this revision, written out: a migration records the schema as it was."""


CHECKIN_CODE = re.compile(r"^PT1-[A-Z2-7]{20}$")
"""The check-in code's form at this revision (services/checkin.py makes them)."""


def _new_checkin_code() -> str:
    """A fresh code as services/checkin.new_checkin_code makes it: 100 random bits."""
    return "PT1-" + base64.b32encode(secrets.token_bytes(13)).decode()[:20]


def _replace_old_checkin_codes() -> None:
    """Give every student whose code is not in the current form a fresh random one."""
    students = sa.table("students", sa.column("id", sa.Integer), sa.column("checkin_code"))
    connection = op.get_bind()
    rows = connection.execute(sa.select(students.c.id, students.c.checkin_code)).all()
    taken = {code for _, code in rows}
    for student_id, code in rows:
        if CHECKIN_CODE.match(code):
            continue
        fresh = _new_checkin_code()
        while fresh in taken:
            fresh = _new_checkin_code()
        taken.add(fresh)
        connection.execute(
            sa.update(students).where(students.c.id == student_id).values(checkin_code=fresh)
        )


def _allows(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


def upgrade() -> None:
    with sqlite_foreign_keys_off():
        _upgrade()


def downgrade() -> None:
    with sqlite_foreign_keys_off():
        _downgrade()


def _upgrade() -> None:
    with op.batch_alter_table("students", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gender", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("medical_notes", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_students_gender_known"), _allows("gender", GENDERS)
        )
    with op.batch_alter_table("students", schema=None) as batch_op:
        batch_op.alter_column(
            "medical_notes", existing_type=sa.String(length=1000), server_default=None
        )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_attendance_status_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_attendance_status_known"), _allows("status", ATTENDANCE_AFTER)
        )
    with op.batch_alter_table("future_absences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("makeup_token_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_future_absences_makeup_token_id_makeup_tokens"),
            "makeup_tokens",
            ["makeup_token_id"],
            ["id"],
        )
    _replace_old_checkin_codes()


def _downgrade() -> None:
    with op.batch_alter_table("future_absences", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_future_absences_makeup_token_id_makeup_tokens"), type_="foreignkey"
        )
        batch_op.drop_column("makeup_token_id")
    # Before this revision a makeup's attendance was recorded as present.
    op.execute("UPDATE attendance SET status = 'present' WHERE status = 'makeup'")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_attendance_status_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_attendance_status_known"), _allows("status", ATTENDANCE_BEFORE)
        )
    with op.batch_alter_table("students", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_students_gender_known"), type_="check")
        batch_op.drop_column("medical_notes")
        batch_op.drop_column("gender")
