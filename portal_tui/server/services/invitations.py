"""Invitations for a secondary guardian to sign in: the primary guardian sends, re-sends and
revokes them; the invitee accepts with the emailed code.

A code is stored as its SHA-256, works once, and ends after INVITATION_HOURS, when a newer
one is sent, or when the invitation is revoked. Revoking also ends the guardian's sign-in
(their sessions and any reset code) and tells both guardians by email."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from portal_tui.server import clock, security, tables
from portal_tui.server.errors import Invalid
from portal_tui.server.outbox import Mail, Outbox
from portal_tui.server.services import audit as audit_service
from portal_tui.server.services import mails
from portal_tui.server.services import password_resets as resets_service
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.guardians import (
    find_guardian,
    guardian_actions,
    guardian_out,
    login_of,
    require_guardian_version,
)
from portal_tui.server.services.users import user_by_email
from portal_tui.wire.account import (
    GuardianAccessAction,
    GuardianOut,
    InvitationStatus,
    LoginAccess,
)
from portal_tui.wire.checks import normalize_email
from portal_tui.wire.invitations import (
    INVITATION_HOURS,
    GuardianAction,
    InvitationAccept,
    InvitationSend,
    SignInEmail,
)
from portal_tui.wire.security import password_problem, user_words

CODE_NOT_VALID = (
    "This invitation code is not valid: it may have expired, been used or been revoked. "
    "Ask for a new invitation."
)
EMAIL_TAKEN = (
    "The email this invitation went to already signs in to the portal. Ask the guardian who "
    "invited you to invite another address."
)
"""Said to whoever holds the invitation's code, never to the one who sends it: sending tells
nothing about which addresses have accounts."""


def secondary_of(
    family: FamilyAccess,
    guardian_id: int,
    version: int,
    *actions: GuardianAccessAction,
    refusal: str,
) -> tables.Guardian:
    """A secondary guardian of the family, as the caller last saw them, for whom one of
    `actions` fits where they stand now (404, 409, or 422 with `refusal`)."""
    guardian = find_guardian(family, guardian_id)
    require_guardian_version(family, guardian, version)
    if guardian.is_primary:
        raise Invalid("The primary guardian's own sign-in is managed on the Security tab.")
    if not set(actions) & set(guardian_actions(guardian, family.capabilities)):
        raise Invalid(refusal)
    return guardian


def _end_pending(db: Session, guardian_id: int) -> None:
    """Every invitation of the guardian still waiting for an answer stops working."""
    db.execute(
        update(tables.Invitation)
        .where(
            tables.Invitation.guardian_id == guardian_id,
            tables.Invitation.status == InvitationStatus.SENT,
        )
        .values(status=InvitationStatus.REVOKED, version=tables.Invitation.version + 1)
    )


def send_invitation(
    family: FamilyAccess, guardian_id: int, body: InvitationSend, outbox: Outbox
) -> GuardianOut:
    """Send Invite Email and Re-Send Invite Email: a new code to `body.email`; any earlier
    code of this guardian stops working."""
    db = family.db
    guardian = secondary_of(
        family,
        guardian_id,
        body.version,
        GuardianAccessAction.SEND_INVITE,
        GuardianAccessAction.RESEND_INVITE,
        refusal="This guardian already signs in: there is nothing to invite them to.",
    )
    try:
        email = normalize_email(body.email)
    except ValueError as exc:
        raise Invalid(str(exc), fields={"email": str(exc)}) from exc
    user = login_of(db, guardian)
    if user is not None and user.email.lower() != email.lower():
        message = (
            f"{guardian.first_name} signed in before as {user.email}: invite that address. "
            "To let someone else sign in, add them as a guardian."
        )
        raise Invalid(message, fields={"email": message})
    _end_pending(db, guardian.id)
    code = security.new_token()
    now = clock.now()
    invitation = tables.Invitation(
        guardian_id=guardian.id,
        email=email,
        token_hash=security.token_digest(code),
        status=InvitationStatus.SENT,
        sent_at=now,
        expires_at=now + timedelta(hours=INVITATION_HOURS),
        created_at=now,
    )
    db.add(invitation)
    resent = guardian.login_access == LoginAccess.INVITE_SENT
    guardian.login_access = LoginAccess.INVITE_SENT
    flag_modified(guardian, "login_access")  # a new version even on a re-send: of two sends
    db.flush()  # racing at one version, one is refused (409) and one code is left working
    family.audit(
        "guardian.invitation_resent" if resent else "guardian.invitation_sent",
        {"guardian": guardian.id, "invitation": invitation.id},
    )
    outbox.send(
        mails.invitation(
            to=email,
            guardian=guardian.full_name,
            inviter=family.caller.user.display_name,
            family=family.family.name,
            business=family.business_name,
            code=code,
        )
    )
    return guardian_out(family, guardian)


def revoke(
    family: FamilyAccess, guardian_id: int, body: GuardianAction, notify: Callable[[Mail], None]
) -> GuardianOut:
    """Revoke: the pending invitation stops working, or the guardian who accepted one can no
    longer sign in (nor pay) and is signed out everywhere. Both guardians are told by
    `notify`, after the commit: the revoke never waits on the mail."""
    db = family.db
    refusal = "This guardian has no invitation or sign-in to revoke."
    guardian = secondary_of(
        family, guardian_id, body.version, GuardianAccessAction.REVOKE, refusal=refusal
    )
    pending = db.scalar(
        select(tables.Invitation.email)
        .where(
            tables.Invitation.guardian_id == guardian.id,
            tables.Invitation.status == InvitationStatus.SENT,
        )
        .order_by(tables.Invitation.id.desc())
        .limit(1)
    )
    _end_pending(db, guardian.id)
    user = login_of(db, guardian)
    ended: list[int] = []
    if user is not None:
        ended = sessions_service.end_every_session(db=db, user_id=user.id)
        resets_service.end_codes(db=db, user_id=user.id)
    signed_in = guardian.login_access == LoginAccess.CAN_LOG_IN
    guardian.login_access = LoginAccess.INVITE_REVOKED
    withdrawn = guardian.can_make_payments
    guardian.can_make_payments = False
    db.flush()
    family.audit(
        "guardian.access_revoked",
        {"guardian": guardian.id},
        {"sessions": ended, "payment_permission_withdrawn": withdrawn},
    )
    name = guardian.full_name
    revoker = family.caller.user
    business = family.business_name
    told = pending or (user.email if user is not None else None)
    if told:
        notify(
            mails.revoked(
                to=told,
                name=name,
                business=business,
                revoker=revoker.display_name,
                signed_in=signed_in,
            )
        )
    notify(
        mails.revoke_done(
            to=revoker.email, name=revoker.display_name, business=business, guardian=name
        )
    )
    return guardian_out(family, guardian)


def send_reset(
    family: FamilyAccess, guardian_id: int, body: GuardianAction, outbox: Outbox
) -> GuardianOut:
    """Reset Password: a reset code by email to a secondary guardian who signs in; their
    password stays until they use it."""
    db = family.db
    refusal = "Only a guardian who signs in has a password to reset."
    action = GuardianAccessAction.RESET_PASSWORD
    guardian = secondary_of(family, guardian_id, body.version, action, refusal=refusal)
    user = login_of(db, guardian)
    if user is None:
        raise Invalid(refusal)
    mail = resets_service.reset_mail(
        db=db, user=user, business=family.business_name, asked_by=family.caller.user.display_name
    )
    family.audit("guardian.password_reset_sent", {"guardian": guardian.id, "user": user.id})
    outbox.send(mail)
    return guardian_out(family, guardian)


def accept(*, db: Session, body: InvitationAccept, source: str, address: str) -> SignInEmail:
    """The invitee sets their password and confirms they are an adult; from then on they
    sign in with the invitation's email."""
    now = clock.now()
    invitation = db.scalar(
        select(tables.Invitation)
        .where(tables.Invitation.token_hash == security.token_digest(body.code))
        .with_for_update()
    )
    if (
        invitation is None
        or invitation.status != InvitationStatus.SENT
        or invitation.expires_at <= now
    ):
        raise Invalid(CODE_NOT_VALID, fields={"code": CODE_NOT_VALID})
    guardian = db.get(tables.Guardian, invitation.guardian_id)
    if guardian is None or guardian.login_access != LoginAccess.INVITE_SENT:
        raise Invalid(CODE_NOT_VALID, fields={"code": CODE_NOT_VALID})
    if not body.adult:
        message = "Only an adult (18 or older) can accept an invitation."
        raise Invalid(message, fields={"adult": message})
    name = guardian.full_name
    password = body.password.get_secret_value()
    problem = password_problem(password, about_user=user_words(invitation.email, name))
    if problem is not None:
        raise Invalid(problem, fields={"password": problem})
    owner = user_by_email(db, invitation.email)
    user = login_of(db, guardian)
    if owner is not None and owner is not user:  # checked here, not when sent: see EMAIL_TAKEN
        raise Invalid(EMAIL_TAKEN, fields={"code": EMAIL_TAKEN})
    password_hash = security.hash_password(password)
    _claim(db, invitation, now)
    if user is None:
        user = tables.User(guardian_id=guardian.id, created_at=now)
        db.add(user)
    user.email = invitation.email
    user.display_name = name
    user.password_hash = password_hash
    user.is_active = True
    user.failed_logins = 0
    user.locked_until = None
    guardian.login_access = LoginAccess.CAN_LOG_IN
    db.flush()
    audit_service.record(
        db=db,
        actor_user_id=user.id,
        family_id=guardian.family_id,
        action="guardian.invitation_accepted",
        records={"guardian": guardian.id, "invitation": invitation.id, "user": user.id},
        source=source,
        client_address=address,
    )
    return SignInEmail(email=user.email)


def _claim(db: Session, invitation: tables.Invitation, now: datetime) -> None:
    """Use the code up before anything else is written: of two accepts racing for one code
    (which SQLite lets both read as unused), the second finds it used and is told so."""
    claimed = db.execute(
        update(tables.Invitation)
        .where(
            tables.Invitation.id == invitation.id,
            tables.Invitation.status == InvitationStatus.SENT,
        )
        .values(
            status=InvitationStatus.ACCEPTED,
            accepted_at=now,
            version=tables.Invitation.version + 1,
        )
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Invalid(CODE_NOT_VALID, fields={"code": CODE_NOT_VALID})
