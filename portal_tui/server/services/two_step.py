"""Two-step verification (TOTP, any authenticator app).

Turning it on: `start` makes a secret, kept pending; `confirm` with a first code from the app
makes it the user's and gives RECOVERY_CODES recovery codes, shown that once. From then on a
sign-in needs a code as well (services/auth). A code of the app is accepted within one 30-second
step either side of the server's clock, and once: the latest accepted step is kept and a code
of that step or an earlier one is refused. A recovery code signs in once (only its SHA-256 is
kept: it is random enough that no slow hash is needed). Turning it off needs the password and
a code, and so do new recovery codes (the earlier ones then stop working). A staff user is
required to use it when the business setting `staff_require_2fa` is on
or their role requires it.

The secret is kept as is: checking a code needs the secret itself, so it cannot be hashed.
What would protect it in a stolen copy of the database is encrypting it with a key from the
server's configuration (kept apart from the database); that is not done yet.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import Conflict, Invalid
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import business as business_service
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services.access import Caller
from portal_tui.server.services.users import user_by_email
from portal_tui.wire.settings import BusinessSettings
from portal_tui.wire.two_step import (
    RECOVERY_CODES,
    PasswordAndCode,
    RecoveryCodes,
    TwoStepSetup,
    TwoStepStatus,
)

WINDOW = 1
"""Steps (30 s each) either side of the server's clock whose codes are accepted."""

RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_LENGTH = 16
"""Characters of a recovery code (80 random bits), shown in groups of four."""

WRONG_CODE = "The code is not right, or it was used already. Enter the newest one."


def is_on(user: tables.User) -> bool:
    return user.totp_secret is not None


def required(*, db: Session, user: tables.User, settings: BusinessSettings) -> bool:
    """Staff must use it when the business requires it of staff, or their role does."""
    if user.staff_role_id is None:
        return False
    role = db.get(tables.StaffRole, user.staff_role_id)
    return settings.staff_require_2fa or (role is not None and role.requires_2fa)


def status(*, db: Session, caller: Caller) -> TwoStepStatus:
    user = caller.user
    left = db.scalar(
        select(func.count()).select_from(tables.RecoveryCode).where(_codes_of(user.id))
    )
    settings = business_service.get_settings(db=db)
    return TwoStepStatus(
        enabled=is_on(user),
        enabled_at=user.totp_enabled_at,
        pending=user.totp_pending_secret is not None,
        recovery_codes_left=left or 0,
        required=required(db=db, user=user, settings=settings),
    )


def start(*, db: Session, caller: Caller) -> TwoStepSetup:
    """A new pending secret (replacing one not yet confirmed); 409 while it is on."""
    user = caller.user
    if is_on(user):
        raise Conflict("Two-step verification is already on. Turn it off first.")
    secret = pyotp.random_base32()
    user.totp_pending_secret = secret
    issuer = business_service.get_business(db=db).name
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return TwoStepSetup(secret=secret, uri=uri)


def confirm(*, db: Session, caller: Caller, code: str) -> RecoveryCodes:
    """Turn it on with the pending secret, given a first code of it; the recovery codes."""
    user = caller.user
    pending = user.totp_pending_secret
    if pending is None:
        message = "Start turning on two-step verification first."
        raise Invalid(message, fields={"code": message})
    now = clock.now()
    step = _matching_step(pending, code, now)
    if step is None:
        raise Invalid(WRONG_CODE, fields={"code": WRONG_CODE})
    user.totp_secret, user.totp_pending_secret = pending, None
    user.totp_enabled_at, user.totp_last_step = now, step
    codes = _new_recovery_codes(db, user)
    caller.audit(db, "user.two_step_on")
    return codes


def turn_off(*, db: Session, caller: Caller, body: PasswordAndCode) -> None:
    """Turn it off, given the password and a code (422 otherwise, or while it is required)."""
    user = caller.user
    if not is_on(user):
        raise Invalid("Two-step verification is not on.")
    if required(db=db, user=user, settings=business_service.get_settings(db=db)):
        raise Invalid("Your role must sign in with two-step verification: it stays on.")
    _prove(db, user, body)
    _clear(db, user)
    caller.audit(db, "user.two_step_off")


def renew_recovery_codes(*, db: Session, caller: Caller, body: PasswordAndCode) -> RecoveryCodes:
    """New recovery codes, given the password and a code; the earlier ones stop working."""
    user = caller.user
    if not is_on(user):
        raise Invalid("Two-step verification is not on.")
    _prove(db, user, body)
    codes = _new_recovery_codes(db, user)
    caller.audit(db, "user.recovery_codes_renewed")
    return codes


def _prove(db: Session, user: tables.User, body: PasswordAndCode) -> None:
    """The password and a code (the app's or a recovery code, used up) are right (422)."""
    if not security.verify_password(user.password_hash, body.password.get_secret_value()):
        message = "The password is not right."
        raise Invalid(message, fields={"password": message})
    if accept_code(db=db, user=user, code=body.code, now=clock.now()) is None:
        raise Invalid(WRONG_CODE, fields={"code": WRONG_CODE})


def _new_recovery_codes(db: Session, user: tables.User) -> RecoveryCodes:
    """RECOVERY_CODES new recovery codes for `user`, in place of any earlier ones."""
    db.execute(delete(tables.RecoveryCode).where(_codes_of(user.id)))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.add_all(tables.RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return RecoveryCodes(codes=codes)


def turn_off_for(*, db: Session, email: str) -> None:
    """The operator turns it off for a user who lost their app and recovery codes
    (`portal-server two-step-off EMAIL`); every session of the user ends with it."""
    user = user_by_email(db, email)
    if user is None:
        raise Invalid(f"No user signs in as {email}.")
    if not is_on(user):
        raise Invalid(f"Two-step verification is not on for {email}.")
    _clear(db, user)
    ended = sessions_service.end_every_session(db=db, user_id=user.id)
    guardian = db.get(tables.Guardian, user.guardian_id) if user.guardian_id else None
    audit_service.record(
        db=db,
        actor_user_id=None,
        family_id=guardian.family_id if guardian else None,
        action="user.two_step_off_by_operator",
        records={"user": user.id},
        detail={"sessions": ended},
        source="portal-server",
        client_address="",
    )


def _clear(db: Session, user: tables.User) -> None:
    user.totp_secret = user.totp_pending_secret = None
    user.totp_enabled_at = user.totp_last_step = None
    db.execute(delete(tables.RecoveryCode).where(_codes_of(user.id)))


def accept_code(*, db: Session, user: tables.User, code: str, now: datetime) -> str | None:
    """Use up `code` of the user's: "app" for the app's code, "recovery_code" for a recovery
    code, None when it is neither or was used already. One statement each, so that of two
    sign-ins with the same code at the same moment only one gets in."""
    secret = user.totp_secret
    if secret is None:
        return None
    typed = _plain(code)
    if not typed.isascii():
        return None
    if typed.isdigit():
        step = _matching_step(secret, typed, now)
        if step is None:
            return None
        newer = or_(tables.User.totp_last_step.is_(None), tables.User.totp_last_step < step)
        used = db.scalar(
            update(tables.User)
            .where(tables.User.id == user.id, newer)
            .values(totp_last_step=step)
            .returning(tables.User.id)
            .execution_options(synchronize_session=False)
        )
        return "app" if used is not None else None
    used = db.scalar(
        delete(tables.RecoveryCode)
        .where(_codes_of(user.id), tables.RecoveryCode.code_hash == _digest(typed))
        .returning(tables.RecoveryCode.id)
        .execution_options(synchronize_session=False)
    )
    return "recovery_code" if used is not None else None


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The step within WINDOW of `now` whose code `code` is (the latest if several are)."""
    typed = _plain(code)
    if not re.fullmatch(r"[0-9]{6}", typed):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    steps = range(current - WINDOW, current + WINDOW + 1)
    matching = [s for s in steps if hmac.compare_digest(totp.generate_otp(s), typed)]
    return matching[-1] if matching else None


def _plain(code: str) -> str:
    """A code as typed, without spaces and dashes, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def _digest(code: str) -> str:
    return hashlib.sha256(_plain(code).encode()).hexdigest()


def _codes_of(user_id: int) -> ColumnElement[bool]:
    return tables.RecoveryCode.user_id == user_id
