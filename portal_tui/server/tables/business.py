"""The business, its locations, staff roles and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal_tui.server import clock
from portal_tui.server.coltypes import UTCDateTime
from portal_tui.server.tables.base import Base, Versioned


class Business(Versioned, Base):
    """The one business this server serves; `settings` holds BusinessSettings' fields."""

    __tablename__ = "business"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    currency_symbol: Mapped[str] = mapped_column(String(4), default="$")
    time_zone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Location(Versioned, Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")


class StaffRole(Versioned, Base):
    """A staff role: what its holders may do, and whether they need two-step sign-in."""

    __tablename__ = "staff_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    is_manager: Mapped[bool] = mapped_column(default=False)
    requires_2fa: Mapped[bool] = mapped_column(default=False)


class AuditEntry(Base):
    """One recorded action: who did what to which family's records, from where, when.

    `source` names what made the write (the client's product name, or "operator" for the
    command line) and has no default, so no write goes unattributed; `client_address` is
    None when the write came from no network client. `records` maps a record kind to the
    id touched, e.g. {"email": 12}. A family's entries are read newest first by
    (family_id, at).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_family_at", "family_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"))
    action: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(40))
    client_address: Mapped[str | None] = mapped_column(String(64))
    records: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
