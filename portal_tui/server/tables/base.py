"""Declarative base and the mixins every table shares."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Enum, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from portal_tui.server import clock
from portal_tui.server.coltypes import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


E = TypeVar("E", bound=StrEnum)


class Base(DeclarativeBase):
    """Base of every table; constraint names are stable so migrations can name them."""

    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """An editable record: `version` rises on every update (409 on a stale one)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class Created:
    """A record that remembers when it was made (UTC)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


def enum_type(enum: type[E], *, name: str, length: int) -> Enum:
    """A column holding one of `enum`'s values, read back as the member.

    The database stores the value in a VARCHAR(`length`) and a CHECK constraint named
    `ck_<table>_<name>` refuses any other value, on SQLite and PostgreSQL alike.
    """
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda members: [member.value for member in members],
        length=length,
        name=name,
    )
