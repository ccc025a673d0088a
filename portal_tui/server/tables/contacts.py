"""Addresses, emails and phones: each linked to a guardian, or to nobody (Unassigned)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal_tui.server.tables.base import Base, Versioned, enum_type
from portal_tui.wire.account import PhoneLabel


class _FamilyContact(Versioned):
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardians.id"), index=True)


class Address(_FamilyContact, Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")


class Email(_FamilyContact, Base):
    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    is_login: Mapped[bool] = mapped_column(default=False)
    opted_out: Mapped[bool] = mapped_column(default=False)


class Phone(_FamilyContact, Base):
    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    label: Mapped[PhoneLabel] = mapped_column(
        enum_type(PhoneLabel, name="label_known", length=20), default=PhoneLabel.MOBILE
    )
    opted_out: Mapped[bool] = mapped_column(default=False)
