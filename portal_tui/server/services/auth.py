"""Sign-in, token checks and sign-out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import NotAuthenticated, SessionExpired
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import business as business_service
from portal_tui.server.services.access import Caller
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.auth import LoginResult, Role, UserOut

BAD_CREDENTIALS = "Email or password is incorrect."


def user_out(*, db: Session, user: tables.User) -> UserOut:
    guardian = db.get(tables.Guardian, user.guardian_id) if user.guardian_id else None
    role = Role.GUARDIAN
    if user.staff_role_id is not None:
        staff_role = db.get(tables.StaffRole, user.staff_role_id)
        role = Role.MANAGER if staff_role and staff_role.is_manager else Role.STAFF
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=role,
        family_id=guardian.family_id if guardian else None,
        guardian_id=guardian.id if guardian else None,
    )


def login(
    *,
    db: Session,
    email: str,
    password: str,
    client_name: str = "",
    source: str = "",
    client_address: str = "",
) -> LoginResult:
    """A new session for a right email and password; the same answer for any wrong pair."""
    user = db.scalar(select(tables.User).where(func.lower(tables.User.email) == email.lower()))
    ok = security.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not may_sign_in(db=db, user=user):
        raise NotAuthenticated(BAD_CREDENTIALS)
    token = security.new_token()
    hours = business_service.get_settings(db=db).session_hours
    session = tables.Session(
        user_id=user.id,
        token_hash=security.token_digest(token),
        expires_at=clock.now() + timedelta(hours=hours),
        client_name=client_name[:120],
        client_address=client_address[:64],
        last_seen_at=clock.now(),
    )
    db.add(session)
    db.flush()
    signed_in = user_out(db=db, user=user)
    audit_service.record(
        db=db,
        actor_user_id=user.id,
        family_id=signed_in.family_id,
        action="session.sign_in",
        records={"session": session.id},
        source=source,
        client_address=client_address,
    )
    return LoginResult(token=token, expires_at=session.expires_at, user=signed_in)


def may_sign_in(*, db: Session, user: tables.User) -> bool:
    """Active, and for a guardian, one whose login access is "Can Log In"."""
    if not user.is_active:
        return False
    if user.guardian_id is None:
        return True
    guardian = db.get(tables.Guardian, user.guardian_id)
    return guardian is not None and guardian.login_access == LoginAccess.CAN_LOG_IN


def authenticate_token(*, db: Session, token: str) -> tuple[tables.User, tables.Session]:
    """The user and session a token names; 401 when it is unknown, revoked or expired."""
    session = db.scalar(
        select(tables.Session).where(tables.Session.token_hash == security.token_digest(token))
    )
    if session is None or session.revoked_at is not None:
        raise NotAuthenticated("Your session is not valid. Sign in again.")
    if session.expires_at <= clock.now():
        raise SessionExpired("Your session has expired. Sign in again.")
    user = db.get(tables.User, session.user_id)
    if user is None or not may_sign_in(db=db, user=user):
        raise NotAuthenticated("Your session is not valid. Sign in again.")
    return user, session


def logout(*, db: Session, caller: Caller) -> None:
    caller.session.revoked_at = clock.now()
    audit_service.record(
        db=db,
        actor_user_id=caller.user.id,
        family_id=caller.guardian.family_id if caller.guardian else None,
        action="session.sign_out",
        records={"session": caller.session.id},
        source=caller.source,
        client_address=caller.address,
    )
