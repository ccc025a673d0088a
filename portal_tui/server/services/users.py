"""Finding a user by the email they sign in with."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import tables


def user_by_email(db: Session, email: str) -> tables.User | None:
    """The user who signs in as `email`, in any case."""
    return db.scalar(select(tables.User).where(func.lower(tables.User.email) == email.lower()))
