"""The audit log: one row for every write, in the write's own transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal_tui.server import tables


def record(
    *,
    db: Session,
    actor_user_id: int | None,
    family_id: int | None,
    action: str,
    records: dict[str, int],
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
            source=source,
            client_address=client_address,
        )
    )
