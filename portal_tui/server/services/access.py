"""Who is calling and which family they opened: what every service of a family is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Conflict
from portal_tui.server.services import audit as audit_service
from portal_tui.wire.family import Capabilities
from portal_tui.wire.settings import BusinessSettings


def require_version(row: Any, version: int, current: Callable[[], BaseModel], noun: str) -> None:
    """The caller edited the record as it is now; otherwise 409 with `current()`, the record
    as it is now (built only then)."""
    if row.version != version:
        raise Conflict(f"Someone changed this {noun} after you opened it.", current=current())


@dataclass(frozen=True)
class Caller:
    """Who is calling: the user and the session row their token names, and where from."""

    user: tables.User
    session: tables.Session
    guardian: tables.Guardian | None
    source: str
    """The client's product and version, as its User-Agent names them."""
    address: str
    """The client's network address."""

    def audit(self, db: Session, action: str, detail: dict[str, Any] | None = None) -> None:
        """The audit row of a write to the caller's own login (their password, sessions or
        two-step verification), in the write's transaction."""
        audit_service.record(
            db=db,
            actor_user_id=self.user.id,
            family_id=self.guardian.family_id if self.guardian else None,
            action=action,
            records={"user": self.user.id},
            detail=detail,
            source=self.source,
            client_address=self.address,
        )


@dataclass(frozen=True)
class FamilyAccess:
    """An open family: the caller reached it through the one access check, with their
    capabilities there. Writes go through `audit` so each one leaves a row in the same
    transaction."""

    db: Session
    caller: Caller
    family: tables.Family
    settings: BusinessSettings
    """The business's settings, read once for the request by the access check."""
    capabilities: Capabilities
    zone: ZoneInfo
    """The business's time zone, in which its dates and class times are read."""
    business_name: str
    """The business's name, read with its settings by the access check."""

    @property
    def id(self) -> int:
        return self.family.id

    @property
    def viewer_id(self) -> int | None:
        """The caller's guardian id, when the caller is a guardian."""
        return self.caller.guardian.id if self.caller.guardian else None

    def audit(
        self, action: str, records: dict[str, int], detail: dict[str, Any] | None = None
    ) -> None:
        """Record a write to this family: who, what, which records (kind → id), from where,
        and any `detail` a reader of the log needs (never a secret)."""
        audit_service.record(
            db=self.db,
            actor_user_id=self.caller.user.id,
            family_id=self.family.id,
            action=action,
            records=records,
            detail=detail,
            source=self.caller.source,
            client_address=self.caller.address,
        )
