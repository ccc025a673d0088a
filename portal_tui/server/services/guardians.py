"""Guardians and the contacts linked to them, or to nobody; adding a guardian and changing
one's name and relation.

A guardian is added as a secondary guardian without login access or permission to pay, by
the caller the capabilities allow (the primary guardian). Names and relations are changed
only by whom `Capabilities.edit_guardians` lists: each guardian themselves, and the primary
for a secondary who has not accepted an invitation (one who has keeps their own details).
Every write names the version it edited (409 with the record as it is now) and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Forbidden, NotFound
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.capabilities import accepted_secondary
from portal_tui.wire.account import (
    AddressOut,
    Contacts,
    EmailOut,
    GuardianOut,
    GuardiansOut,
    InvitationStatus,
    LoginAccess,
    LoginAction,
    PhoneOut,
)
from portal_tui.wire.guardians import GuardianFields, GuardianUpdate


def _contacts_of(
    guardian_id: int | None,
    addresses: list[tables.Address],
    emails: list[tables.Email],
    phones: list[tables.Phone],
) -> Contacts:
    """The contacts linked to `guardian_id` (None: to nobody)."""
    return Contacts(
        addresses=[AddressOut.model_validate(a) for a in addresses if a.guardian_id == guardian_id],
        emails=[EmailOut.model_validate(e) for e in emails if e.guardian_id == guardian_id],
        phones=[PhoneOut.model_validate(p) for p in phones if p.guardian_id == guardian_id],
    )


ContactRow = TypeVar("ContactRow", tables.Address, tables.Email, tables.Phone)


def _of_family(db: Session, table: type[ContactRow], family_id: int) -> list[ContactRow]:
    return list(db.scalars(select(table).where(table.family_id == family_id).order_by(table.id)))


def _keeps_own_contacts(guardian: tables.Guardian, viewer_id: int | None) -> bool:
    """A secondary guardian who accepted an invitation keeps their contacts to themselves
    (the primary's stay in view of the family's other guardians)."""
    return accepted_secondary(guardian) and guardian.id != viewer_id


_LOGIN_ACTIONS = {
    LoginAccess.NONE: [LoginAction.SEND_INVITE],
    LoginAccess.INVITE_REVOKED: [LoginAction.SEND_INVITE],
    LoginAccess.INVITE_SENT: [LoginAction.RESEND_INVITE, LoginAction.REVOKE],
    LoginAccess.CAN_LOG_IN: [LoginAction.RESET_PASSWORD, LoginAction.REVOKE],
}


def login_actions(guardian: tables.Guardian) -> list[LoginAction]:
    """What the primary guardian may do now about `guardian`'s sign-in (nothing about their
    own): listed with the guardian, and checked by each action."""
    return [] if guardian.is_primary else list(_LOGIN_ACTIONS[guardian.login_access])


@dataclass(frozen=True)
class _PrimaryView:
    """What only the primary guardian sees of the others: where each pending invitation
    went (by guardian id), and what they may do about each sign-in."""

    invited: dict[int, str]


def _primary_view(db: Session, family_id: int, viewer_id: int | None) -> _PrimaryView | None:
    """The primary guardian's view of the family's guardians, or None for anyone else."""
    viewer = db.get(tables.Guardian, viewer_id) if viewer_id else None
    if viewer is None or not viewer.is_primary:
        return None
    rows = db.execute(
        select(tables.Invitation.guardian_id, tables.Invitation.email)
        .join(tables.Guardian, tables.Guardian.id == tables.Invitation.guardian_id)
        .where(
            tables.Guardian.family_id == family_id,
            tables.Guardian.login_access == LoginAccess.INVITE_SENT,
            tables.Invitation.status == InvitationStatus.SENT,
        )
        .order_by(tables.Invitation.id)
    )
    return _PrimaryView({guardian_id: email for guardian_id, email in rows})


def _guardian_out(
    g: tables.Guardian,
    viewer_id: int | None,
    addresses: list[tables.Address],
    emails: list[tables.Email],
    phones: list[tables.Phone],
    primary: _PrimaryView | None,
) -> GuardianOut:
    return GuardianOut(
        id=g.id,
        first_name=g.first_name,
        last_name=g.last_name,
        relation=g.relation,
        is_primary=g.is_primary,
        login_access=g.login_access,
        can_make_payments=g.can_make_payments,
        invited_email=primary.invited.get(g.id) if primary else None,
        contacts=None
        if _keeps_own_contacts(g, viewer_id)
        else _contacts_of(g.id, addresses, emails, phones),
        login_actions=login_actions(g) if primary else [],
        version=g.version,
    )


def guardian_out(db: Session, guardian: tables.Guardian, viewer_id: int | None) -> GuardianOut:
    """One guardian as `viewer_id` sees them in list_guardians."""
    family_id = guardian.family_id
    return _guardian_out(
        guardian,
        viewer_id,
        _of_family(db, tables.Address, family_id),
        _of_family(db, tables.Email, family_id),
        _of_family(db, tables.Phone, family_id),
        _primary_view(db, family_id, viewer_id),
    )


def list_guardians(*, db: Session, family_id: int, viewer_id: int | None) -> GuardiansOut:
    guardians = db.scalars(
        select(tables.Guardian)
        .where(tables.Guardian.family_id == family_id)
        .order_by(tables.Guardian.is_primary.desc(), tables.Guardian.id)
    ).all()
    addresses = _of_family(db, tables.Address, family_id)
    emails = _of_family(db, tables.Email, family_id)
    phones = _of_family(db, tables.Phone, family_id)
    primary = _primary_view(db, family_id, viewer_id)
    return GuardiansOut(
        guardians=[
            _guardian_out(g, viewer_id, addresses, emails, phones, primary) for g in guardians
        ],
        unassigned=_contacts_of(None, addresses, emails, phones),
    )


KEPT_BY_THEMSELVES = "Only that guardian can change their own details."


def find_guardian(family: FamilyAccess, guardian_id: int) -> tables.Guardian:
    """The family's guardian, or 404 (another family's id reveals nothing)."""
    guardian = family.db.get(tables.Guardian, guardian_id)
    if guardian is None or guardian.family_id != family.id:
        raise NotFound("No such guardian in this family.")
    return guardian


def require_guardian_version(family: FamilyAccess, guardian: tables.Guardian, version: int) -> None:
    """The caller saw `guardian` as it is now; otherwise 409 with it as they would see it."""
    require_version(
        guardian,
        version,
        lambda: guardian_out(family.db, guardian, family.viewer_id),
        "guardian",
    )


def login_of(db: Session, guardian: tables.Guardian) -> tables.User | None:
    """The guardian's sign-in, if they have (or had) one."""
    return db.scalar(select(tables.User).where(tables.User.guardian_id == guardian.id))


def add_guardian(family: FamilyAccess, body: GuardianFields) -> GuardianOut:
    """A new secondary guardian: no login access, no permission to make payments."""
    guardian = tables.Guardian(
        family_id=family.id,
        first_name=body.first_name,
        last_name=body.last_name,
        relation=body.relation,
        is_primary=False,
        login_access=LoginAccess.NONE,
        can_make_payments=False,
    )
    family.db.add(guardian)
    family.db.flush()
    family.audit("guardian.add", {"guardian": guardian.id})
    return guardian_out(family.db, guardian, family.viewer_id)


def update_guardian(family: FamilyAccess, guardian_id: int, body: GuardianUpdate) -> GuardianOut:
    """Change a guardian's name and relation, if the caller may (see the module's rule)."""
    guardian = find_guardian(family, guardian_id)
    if guardian.id not in family.capabilities.edit_guardians:
        raise Forbidden(KEPT_BY_THEMSELVES)
    require_guardian_version(family, guardian, body.version)
    guardian.first_name, guardian.last_name = body.first_name, body.last_name
    guardian.relation = body.relation
    user = login_of(family.db, guardian)
    if user is not None:  # the name the app greets them by follows
        user.display_name = guardian.full_name
    family.db.flush()
    family.audit("guardian.update", {"guardian": guardian.id})
    return guardian_out(family.db, guardian, family.viewer_id)
