"""Ledger entries, payment allocations, each family's totals per location, its entries counted
by amount, and stored payment methods (never a card number)."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal_tui.server import clock
from portal_tui.server.coltypes import UTCDateTime
from portal_tui.server.tables import ledger_text
from portal_tui.server.tables.base import Base, Created, Versioned, enum_type
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind

ONE_DEFAULT_WHERE = "is_default AND NOT removed"
"""The rows among which a guardian's default is unique."""
REFUNDS_WHERE = "refund_of_id IS NOT NULL"
"""The entries that refund another: only they are indexed by what they refund."""


class LedgerEntry(Created, Base):
    """A charge, payment, refund or credit: a positive amount in cents with a kind.

    The covering indexes serve keyset pages by (date, id); with the kind ones, every filter
    finds its newest entry on or before a day (Go to date) in one probe. Each entry also
    keeps its place (1 = oldest, in (date, id) order) among the family's entries, those of
    its kind, of its location, and of its location and kind, and the balance right after it
    of the family and of its location: services/ledger_places writes them. A ledger page
    reads its balances from them instead of summing; the places page by position
    (services/ledger_window). The amount indexes serve the windows sorted by amount; the
    text index (tables/ledger_text) serves searches of descriptions.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_family_key", "family_id", "entry_date", "id", "kind", "amount_cents"),
        Index(
            "ix_ledger_family_location_key",
            "family_id",
            "location_id",
            "entry_date",
            "id",
            "kind",
            "amount_cents",
        ),
        Index("ix_ledger_family_kind_key", "family_id", "kind", "entry_date", "id"),
        Index(
            "ix_ledger_family_location_kind_key",
            "family_id",
            "location_id",
            "kind",
            "entry_date",
            "id",
        ),
        Index("ix_ledger_place_all", "family_id", "place_all"),
        Index("ix_ledger_place_kind", "family_id", "kind", "place_kind"),
        Index("ix_ledger_place_loc", "family_id", "location_id", "place_loc"),
        Index("ix_ledger_place_loc_kind", "family_id", "location_id", "kind", "place_loc_kind"),
        Index(
            "ix_ledger_refund_of",
            "refund_of_id",
            sqlite_where=text(REFUNDS_WHERE),
            postgresql_where=text(REFUNDS_WHERE),
        ),
        Index("ix_ledger_amount", "family_id", "amount_cents", "entry_date", "id"),
        Index("ix_ledger_kind_amount", "family_id", "kind", "amount_cents", "entry_date", "id"),
        Index(
            "ix_ledger_location_amount",
            "family_id",
            "location_id",
            "amount_cents",
            "entry_date",
            "id",
        ),
        Index(
            "ix_ledger_location_kind_amount",
            "family_id",
            "location_id",
            "kind",
            "amount_cents",
            "entry_date",
            "id",
        ),
        UniqueConstraint(
            "family_id", "idempotency_key", "location_id", name="uq_ledger_idempotency"
        ),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind, name="kind_known", length=10))
    entry_date: Mapped[date] = mapped_column(Date)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))
    amount_cents: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(String(200))
    payment_method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id"))
    refund_of_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(80))
    place_all: Mapped[int] = mapped_column()
    place_kind: Mapped[int] = mapped_column()
    place_loc: Mapped[int] = mapped_column()
    place_loc_kind: Mapped[int] = mapped_column()
    balance_after: Mapped[int] = mapped_column(BigInteger)
    location_balance_after: Mapped[int] = mapped_column(BigInteger)


ledger_text.attach(cast(Table, LedgerEntry.__table__))


class PaymentAllocation(Base):
    """Part of a payment or credit applied to a charge."""

    __tablename__ = "payment_allocations"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    charge_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    amount_cents: Mapped[int] = mapped_column()


class LedgerTotal(Base):
    """A family's running totals at one location, kept as entries and allocations are
    written (services/ledger_totals) so that the account reads them instead of summing its
    ledger: the balance (charges and refunds less payments and credits), what its charges
    still owe after what was allocated to them, and what its payments and credits have left
    that is neither allocated nor refunded (its unapplied credit)."""

    __tablename__ = "ledger_totals"

    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    balance_cents: Mapped[int] = mapped_column(BigInteger)
    open_cents: Mapped[int] = mapped_column(BigInteger)
    unapplied_cents: Mapped[int] = mapped_column(BigInteger)


class LedgerAmount(Base):
    """How many of a family's entries at one location, of one kind, dated in one year have
    one amount, kept as entries are written (services/ledger_amounts) so that a window of
    the ledger sorted by amount finds where it starts without reading the entries before it.
    `kind` is the entries' kind, checked where they are."""

    __tablename__ = "ledger_amounts"

    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column()


class PaymentMethod(Versioned, Created, Base):
    """A stored method: the gateway's token, brand, last four and expiry — nothing more.

    A guardian has at most one default among the methods not removed (a partial unique index).
    """

    __tablename__ = "payment_methods"
    __table_args__ = (
        Index(
            "uq_payment_methods_one_default",
            "guardian_id",
            unique=True,
            sqlite_where=text(ONE_DEFAULT_WHERE),
            postgresql_where=text(ONE_DEFAULT_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardians.id"), index=True)
    kind: Mapped[PaymentMethodKind] = mapped_column(
        enum_type(PaymentMethodKind, name="kind_known", length=10)
    )
    gateway_token: Mapped[str] = mapped_column(String(120))
    brand: Mapped[str] = mapped_column(String(40))
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int | None] = mapped_column()
    exp_year: Mapped[int | None] = mapped_column()
    is_default: Mapped[bool] = mapped_column(default=False)
    recurring_authorized: Mapped[bool] = mapped_column(default=False)
    removed: Mapped[bool] = mapped_column(default=False)


class RecurringAuthorization(Base):
    """Who turned a method's recurring-billing authorization on or off, when (UTC), and which
    version of the authorization text they were shown. Rows are never changed or deleted."""

    __tablename__ = "recurring_authorizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    payment_method_id: Mapped[int] = mapped_column(ForeignKey("payment_methods.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    text_version: Mapped[int] = mapped_column()
    granted: Mapped[bool] = mapped_column()
