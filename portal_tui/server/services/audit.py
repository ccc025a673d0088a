"""The audit log: one row for every write, in the write's own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal_tui.server import tables


def record(
    *,
    db: Session,
    actor_user_id: int | None,
    family_id: int | None,
    action: str,
    records: dict[str, int],
    detail: dict[str, Any] | None = None,
    source: str,
    client_address: str,
) -> None:
    """Add the row; it commits or rolls back with the write it records."""
    db.add(
        tables.AuditEntry(
            actor_user_id=actor_user_id,
            family_id=family_id,
            action=action,
            records=records,
            detail=detail or {},
            source=source,
            client_address=client_address,
        )
    )
