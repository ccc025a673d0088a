"""Families, guardians, students, users, sessions and invitations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal_tui.server.coltypes import UTCDateTime
from portal_tui.server.tables.base import Base, Created, Versioned, enum_type
from portal_tui.wire.account import InvitationStatus, LoginAccess
from portal_tui.wire.students import Gender


class Family(Versioned, Created, Base):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Guardian(Versioned, Base):
    """A family's guardian, with their login access."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    relation: Mapped[str] = mapped_column(String(40), default="")
    """How they are related to the students ("Mother", "Grandparent"); "" if not given."""
    is_primary: Mapped[bool] = mapped_column(default=False)
    login_access: Mapped[LoginAccess] = mapped_column(
        enum_type(LoginAccess, name="login_access_known", length=20), default=LoginAccess.NONE
    )
    can_make_payments: Mapped[bool] = mapped_column(default=False)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Student(Versioned, Base):
    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender, name="gender_known", length=10))
    medical_notes: Mapped[str] = mapped_column(String(1000), default="")
    checkin_code: Mapped[str] = mapped_column(String(40), unique=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class User(Versioned, Created, Base):
    """A login: a guardian (guardian_id) or staff (staff_role_id)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardians.id"), unique=True)
    staff_role_id: Mapped[int | None] = mapped_column(ForeignKey("staff_roles.id"))
    display_name: Mapped[str] = mapped_column(String(160))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    """Two-step verification's secret while it is on (services/two_step: why it is kept as is)."""
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    """A secret being turned on, until its first code confirms it."""
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The latest 30-second step whose code was accepted: a code is accepted once."""


class RecoveryCode(Base):
    """One unused recovery code of a user's two-step verification; only its SHA-256 is kept,
    and a used one is deleted."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)


class SignInFailures(Base):
    """Failed sign-ins from one client address, the latest at `last_failed_at`; a row whose
    latest is older than the lock time counts for nothing (services/sign_in_limits)."""

    __tablename__ = "sign_in_failures"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int]
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Session(Created, Base):
    """A sign-in. Only the SHA-256 of the opaque token is kept."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_name: Mapped[str] = mapped_column(String(120), default="")
    client_address: Mapped[str] = mapped_column(String(64), default="")


class Invitation(Versioned, Created, Base):
    """An invitation for a secondary guardian to log in; status sent/accepted/revoked."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardians.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_type(InvitationStatus, name="status_known", length=12), default=InvitationStatus.SENT
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(Created, Base):
    """A code that lets a user set a new password once, until `expires_at`; only its SHA-256
    is kept. A newer code, a use or the user's loss of access ends it (`ended_at`)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
