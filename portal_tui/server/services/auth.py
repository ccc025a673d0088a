"""Sign-in, token checks and sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import NotAuthenticated, SessionExpired, TooManyAttempts
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import business as business_service
from portal_tui.server.services import sign_in_limits
from portal_tui.server.services.access import Caller
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.auth import LoginResult, Role, UserOut
from portal_tui.wire.settings import BusinessSettings

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


class SignInFailed(NotAuthenticated):
    """A refused sign-in whose count and audit row are kept: the route answers it rather than
    letting it roll the request's transaction back."""


def login(
    *,
    db: Session,
    email: str,
    password: str,
    client_name: str = "",
    source: str = "",
    client_address: str = "",
) -> LoginResult:
    """A new session for a right email and password; one answer, after the same work, for an
    unknown email, a wrong password and a locked account (SignInFailed); 429 (TooManyAttempts)
    for an address that must wait (see services/sign_in_limits)."""
    settings = business_service.get_settings(db=db)
    now = clock.now()
    wait = sign_in_limits.address_wait(db=db, address=client_address, settings=settings, now=now)
    if wait:
        raise TooManyAttempts(too_many(wait), retry_after=wait)
    user = db.scalar(select(tables.User).where(func.lower(tables.User.email) == email.lower()))
    newest = db.scalar(select(tables.User.password_hash).order_by(tables.User.id.desc()).limit(1))
    stored = user.password_hash if user else security.dummy_hash_like(newest)
    ok = security.verify_password(stored, password)
    locked = user is not None and sign_in_limits.account_locked(user, settings, now)
    if user is None or not ok or locked or not may_sign_in(db=db, user=user):
        reason = _failure(db=db, user=user, ok=ok, locked=locked, settings=settings, now=now)
        sign_in_limits.count_address_failure(
            db=db, address=client_address, settings=settings, now=now
        )
        audit_service.record(
            db=db,
            actor_user_id=user.id if user else None,
            family_id=None,
            action="session.sign_in_failed",
            records={},
            detail={"reason": reason},
            source=source,
            client_address=client_address,
        )
        raise SignInFailed(BAD_CREDENTIALS)
    sign_in_limits.reset_account(db=db, user=user)
    token = security.new_token()
    session = tables.Session(
        user_id=user.id,
        token_hash=security.token_digest(token),
        expires_at=now + timedelta(hours=settings.session_hours),
        client_name=client_name[:120],
        client_address=client_address[:64],
        created_at=now,
        last_seen_at=now,
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


def too_many(seconds: int) -> str:
    """The refusal of an address that must wait `seconds`, saying how long."""
    minutes = -(-seconds // 60)
    after = f"{seconds} seconds" if seconds < 120 else f"{minutes} minutes"
    return f"Too many failed sign-ins from here. Try again in {after}."


def _failure(
    *,
    db: Session,
    user: tables.User | None,
    ok: bool,
    locked: bool,
    settings: BusinessSettings,
    now: datetime,
) -> str:
    """Why a sign-in failed, for the audit log only; a wrong password counts to the lock."""
    if user is None:
        return "unknown_email"
    if locked:
        return "locked"
    if not ok:
        sign_in_limits.count_account_failure(db=db, user=user, settings=settings, now=now)
        return "wrong_password"
    return "no_access"


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
