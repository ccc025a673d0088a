"""The signed-in user's sessions: listing them, signing out one or every other, and when
each was last used."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.errors import NotFound
from portal_tui.server.services.access import Caller
from portal_tui.wire.security import SessionOut, SessionsEnded

LAST_USED_STEP = timedelta(minutes=5)
"""How stale a session's "last used" may get: it is written at most this often, so reads
stay reads (one small write per session every few minutes, not one per request)."""


def touch(session: tables.Session) -> None:
    """Note that `session` is in use now (at most once per LAST_USED_STEP)."""
    now = clock.now()
    if session.last_seen_at is None or now - session.last_seen_at >= LAST_USED_STEP:
        session.last_seen_at = now


def _active(user_id: int) -> list[ColumnElement[bool]]:
    """The user's sessions that are neither ended nor expired."""
    return [
        tables.Session.user_id == user_id,
        tables.Session.revoked_at.is_(None),
        tables.Session.expires_at > clock.now(),
    ]


def list_sessions(*, db: Session, caller: Caller) -> list[SessionOut]:
    """The caller's active sessions, the most recently used first."""
    used = func.coalesce(tables.Session.last_seen_at, tables.Session.created_at)
    rows = db.scalars(
        select(tables.Session)
        .where(*_active(caller.user.id))
        .order_by(used.desc(), tables.Session.id.desc())
    ).all()
    return [
        SessionOut(
            id=row.id,
            client=row.client_name,
            created_at=row.created_at,
            last_used_at=row.last_seen_at or row.created_at,
            address=row.client_address,
            current=row.id == caller.session.id,
        )
        for row in rows
    ]


def end_session(*, db: Session, caller: Caller, session_id: int) -> None:
    """Sign out one of the caller's own active sessions (another user's is not found)."""
    row = db.scalar(
        select(tables.Session).where(
            tables.Session.id == session_id,
            *_active(caller.user.id),
        )
    )
    if row is None:
        raise NotFound("No such session: it may have ended already.")
    row.revoked_at = clock.now()
    caller.audit(db, "session.ended", {"sessions": [row.id]})


def end_other_sessions(*, db: Session, caller: Caller, action: str) -> SessionsEnded:
    """Sign out every active session of the caller but the one making this request;
    `action` names why in the audit row."""
    ended = db.scalars(
        update(tables.Session)
        .where(*_active(caller.user.id), tables.Session.id != caller.session.id)
        .values(revoked_at=clock.now())
        .returning(tables.Session.id)
    ).all()
    caller.audit(db, action, {"sessions": list(ended)})
    return SessionsEnded(ended=len(ended))


def end_every_session(*, db: Session, user_id: int) -> list[int]:
    """Sign out every active session of `user_id` (a new password or revoked access); the
    ids of those ended, for the caller's audit row."""
    return list(
        db.scalars(
            update(tables.Session)
            .where(*_active(user_id))
            .values(revoked_at=clock.now())
            .returning(tables.Session.id)
        ).all()
    )
