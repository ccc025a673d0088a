"""Sign-in, token checks and sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import (
    Forbidden,
    NotAuthenticated,
    SessionExpired,
    TooManyAttempts,
)
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import business as business_service
from portal_tui.server.services import sign_in_limits
from portal_tui.server.services import two_step as two_step_service
from portal_tui.server.services.access import Caller
from portal_tui.server.services.users import user_by_email
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


class CodeRequired(SignInFailed):
    """A right password of a user with two-step verification on, without a code."""

    code = "code_required"


class CodeInvalid(SignInFailed):
    """A right password with a wrong or reused code."""

    code = "code_invalid"


class TwoStepRequired(Forbidden):
    """A staff user required to use two-step verification has not turned it on."""

    code = "two_step_required"


CODE_REQUIRED = "Enter the code from your authenticator app, or a recovery code."
TWO_STEP_REQUIRED = (
    "Staff must sign in with two-step verification, and it is not on for this account. "
    "Ask the portal's operator to lift the requirement while you turn it on."
)


class _Refusal:
    """Records a refused sign-in: its audit row and, when counted, the address's failure."""

    def __init__(
        self,
        db: Session,
        user: tables.User | None,
        settings: BusinessSettings,
        now: datetime,
        source: str,
        address: str,
    ) -> None:
        self.db, self.user, self.settings, self.now = db, user, settings, now
        self.source, self.address = source, address

    def audit(self, reason: str) -> None:
        audit_service.record(
            db=self.db,
            actor_user_id=self.user.id if self.user else None,
            family_id=None,
            action="session.sign_in_failed",
            records={},
            detail={"reason": reason},
            source=self.source,
            client_address=self.address,
        )

    def counted(self, reason: str, error: SignInFailed) -> SignInFailed:
        """`error`, once the failure is counted against the address and audited."""
        sign_in_limits.count_address_failure(
            db=self.db, address=self.address, settings=self.settings, now=self.now
        )
        self.audit(reason)
        return error


def login(
    *,
    db: Session,
    email: str,
    password: str,
    code: str | None = None,
    client_name: str = "",
    source: str = "",
    client_address: str = "",
) -> LoginResult:
    """A new session for a right email and password; one answer, after the same work, for an
    unknown email, a wrong password and a locked account (SignInFailed); 429 (TooManyAttempts)
    for an address that must wait (see services/sign_in_limits).

    With two-step verification on, a right password alone is answered CodeRequired (which
    tells that the password was right: unavoidable, since the code is asked for only then),
    and a wrong or reused code CodeInvalid, counted like a wrong password. A staff user
    required to use it who has not turned it on is refused (TwoStepRequired)."""
    settings = business_service.get_settings(db=db)
    now = clock.now()
    wait = sign_in_limits.address_wait(db=db, address=client_address, settings=settings, now=now)
    if wait:
        raise TooManyAttempts(too_many(wait), retry_after=wait)
    user = user_by_email(db, email)
    newest = db.scalar(select(tables.User.password_hash).order_by(tables.User.id.desc()).limit(1))
    stored = user.password_hash if user else security.dummy_hash_like(newest)
    ok = security.verify_password(stored, password)
    locked = user is not None and sign_in_limits.account_locked(user, settings, now)
    refusal = _Refusal(db, user, settings, now, source, client_address)
    if user is None or not ok or locked or not may_sign_in(db=db, user=user):
        reason = _failure(db=db, user=user, ok=ok, locked=locked, settings=settings, now=now)
        raise refusal.counted(reason, SignInFailed(BAD_CREDENTIALS))
    second_step = None
    if two_step_service.is_on(user):
        if not code:
            raise CodeRequired(CODE_REQUIRED)
        second_step = two_step_service.accept_code(db=db, user=user, code=code, now=now)
        if second_step is None:
            sign_in_limits.count_account_failure(db=db, user=user, settings=settings, now=now)
            raise refusal.counted("wrong_code", CodeInvalid(two_step_service.WRONG_CODE))
    elif two_step_service.required(db=db, user=user, settings=settings):
        refusal.audit("two_step_required")
        raise TwoStepRequired(TWO_STEP_REQUIRED)
    if not _still_the_password(db, user, stored):
        raise refusal.counted("password_changed", SignInFailed(BAD_CREDENTIALS))
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
        detail={"two_step": second_step} if second_step else None,
        source=source,
        client_address=client_address,
    )
    return LoginResult(token=token, expires_at=session.expires_at, user=signed_in)


def _still_the_password(db: Session, user: tables.User, verified: str) -> bool:
    """Clear the account's failures if its password is still the one just verified.

    The UPDATE waits for a password change or reset in progress (its row lock on PostgreSQL,
    the write lock on SQLite) and then finds the new password, so the sign-in is refused
    rather than making a session the change has already missed ending."""
    cleared = db.execute(
        update(tables.User)
        .where(tables.User.id == user.id, tables.User.password_hash == verified)
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(cleared.rowcount)  # type: ignore[attr-defined]


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
