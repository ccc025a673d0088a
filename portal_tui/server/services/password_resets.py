"""Password resets: a code by email that lets a user set a new password once, within
RESET_MINUTES. The primary guardian sends one to a secondary guardian who signs in (Reset
Password), or a user asks for one on the sign-in screen (Forgot Password).

A code is stored as its SHA-256; a newer code, its use, or the user's loss of access ends
it. Setting the new password signs the user out everywhere and lifts a sign-in lock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import Invalid
from portal_tui.server.outbox import Mail
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import mails, sign_in_limits
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services.auth import may_sign_in
from portal_tui.server.services.users import user_by_email
from portal_tui.wire.invitations import RESET_MINUTES, ResetComplete, SignInEmail
from portal_tui.wire.security import password_problem, user_words

CODE_NOT_VALID = (
    "This reset code is not valid: it may have expired or been used. Ask for a new one."
)
ASK_AGAIN_AFTER = timedelta(minutes=2)
"""Forgot Password sends no second code to the same user sooner than this."""
CODES_A_DAY = 5
"""Forgot Password sends a user at most this many codes in 24 hours (no mail flood)."""


def end_codes(*, db: Session, user_id: int) -> None:
    """Every reset code of the user stops working."""
    db.execute(
        update(tables.PasswordReset)
        .where(tables.PasswordReset.user_id == user_id, tables.PasswordReset.ended_at.is_(None))
        .values(ended_at=clock.now())
    )


def new_code(*, db: Session, user: tables.User) -> str:
    """A fresh reset code for `user` (earlier ones end); the code itself is only returned."""
    end_codes(db=db, user_id=user.id)
    code = security.new_token()
    now = clock.now()
    db.add(
        tables.PasswordReset(
            user_id=user.id,
            token_hash=security.token_digest(code),
            expires_at=now + timedelta(minutes=RESET_MINUTES),
            created_at=now,
        )
    )
    db.flush()
    return code


def reset_mail(*, db: Session, user: tables.User, business: str, asked_by: str | None) -> Mail:
    """A new code for `user`, in the mail that carries it."""
    code = new_code(db=db, user=user)
    return mails.reset(
        to=user.email, name=user.display_name, business=business, code=code, asked_by=asked_by
    )


def requested(*, db: Session, email: str, business: str, source: str, address: str) -> Mail | None:
    """Forgot Password: the mail to send, or None when the email has no sign-in (or one was
    sent a moment ago). The caller answers the same either way."""
    user = user_by_email(db, email)
    if user is None or not may_sign_in(db=db, user=user):
        return None
    now = clock.now()
    sent = db.scalars(
        select(tables.PasswordReset.created_at).where(
            tables.PasswordReset.user_id == user.id,
            tables.PasswordReset.created_at > now - timedelta(days=1),
        )
    ).all()
    if len(sent) >= CODES_A_DAY or any(at > now - ASK_AGAIN_AFTER for at in sent):
        return None
    mail = reset_mail(db=db, user=user, business=business, asked_by=None)
    _audit(db, user, "user.password_reset_requested", source=source, address=address, by_user=False)
    return mail


def complete(*, db: Session, body: ResetComplete, source: str, address: str) -> SignInEmail:
    """Set the new password with a valid code; the code is used up."""
    now = clock.now()
    reset = db.scalar(
        select(tables.PasswordReset)
        .where(tables.PasswordReset.token_hash == security.token_digest(body.code))
        .with_for_update()
    )
    user = db.get(tables.User, reset.user_id) if reset is not None else None
    if (
        reset is None
        or user is None
        or reset.ended_at is not None
        or reset.expires_at <= now
        or not may_sign_in(db=db, user=user)
    ):
        raise Invalid(CODE_NOT_VALID, fields={"code": CODE_NOT_VALID})
    password = body.new_password.get_secret_value()
    problem = password_problem(password, about_user=user_words(user.email, user.display_name))
    if problem is not None:
        raise Invalid(problem, fields={"new_password": problem})
    reset.ended_at = now
    user.password_hash = security.hash_password(password)
    sign_in_limits.reset_account(db=db, user=user)
    ended = sessions_service.end_every_session(db=db, user_id=user.id)
    _audit(db, user, "user.password_reset", source=source, address=address, sessions=ended)
    return SignInEmail(email=user.email)


def _audit(
    db: Session,
    user: tables.User,
    action: str,
    *,
    source: str,
    address: str,
    sessions: list[int] | None = None,
    by_user: bool = True,
) -> None:
    """The audit row of a reset of `user`'s, done by them (`by_user`) or asked for by a
    client no one is signed in to."""
    guardian = db.get(tables.Guardian, user.guardian_id) if user.guardian_id else None
    audit_service.record(
        db=db,
        actor_user_id=user.id if by_user else None,
        family_id=guardian.family_id if guardian else None,
        action=action,
        records={"user": user.id},
        detail={"sessions": sessions} if sessions is not None else None,
        source=source,
        client_address=address,
    )
