"""Guardians and the contacts linked to them, or to nobody; adding a guardian and changing
one's name and relation.

A guardian is added as a secondary guardian without login access or permission to pay, by
the caller the capabilities allow (the primary guardian). Names and relations are changed
only by whom `Capabilities.edit_guardians` lists: each guardian themselves, and the primary
for a secondary who has not accepted an invitation (one who has keeps their own details).
Every write names the version it edited (409 with the record as it is now) and is audited.
"""

from __future__ import annotations

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
    GuardianAccessAction,
    GuardianOut,
    GuardiansOut,
    InvitationStatus,
    LoginAccess,
    PhoneOut,
)
from portal_tui.wire.family import Capabilities
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
    LoginAccess.NONE: [GuardianAccessAction.SEND_INVITE],
    LoginAccess.INVITE_REVOKED: [GuardianAccessAction.SEND_INVITE],
    LoginAccess.INVITE_SENT: [GuardianAccessAction.RESEND_INVITE, GuardianAccessAction.REVOKE],
    LoginAccess.CAN_LOG_IN: [GuardianAccessAction.RESET_PASSWORD, GuardianAccessAction.REVOKE],
}


def guardian_actions(
    guardian: tables.Guardian, capabilities: Capabilities
) -> list[GuardianAccessAction]:
    """What a caller with `capabilities` may do now about `guardian` (nothing about the
    primary): listed with the guardian, and checked by each action. Only a secondary
    guardian who signs in themselves can be let pay."""
    if guardian.is_primary:
        return []
    actions = []
    if capabilities.manage_guardian_logins:
        actions += _LOGIN_ACTIONS[guardian.login_access]
    if capabilities.grant_payment_permission and accepted_secondary(guardian):
        pays = guardian.can_make_payments
        actions.append(
            GuardianAccessAction.WITHDRAW_PAYMENTS if pays else GuardianAccessAction.ALLOW_PAYMENTS
        )
    return actions


def _invited(family: FamilyAccess) -> dict[int, str]:
    """Where each guardian's pending invitation went, by guardian id, for the eyes of whoever
    manages the family's sign-ins (the primary guardian) only: empty for anyone else."""
    if not family.capabilities.manage_guardian_logins:
        return {}
    rows = family.db.execute(
        select(tables.Invitation.guardian_id, tables.Invitation.email)
        .join(tables.Guardian, tables.Guardian.id == tables.Invitation.guardian_id)
        .where(
            tables.Guardian.family_id == family.id,
            tables.Guardian.login_access == LoginAccess.INVITE_SENT,
            tables.Invitation.status == InvitationStatus.SENT,
        )
        .order_by(tables.Invitation.id)
    )
    return {guardian_id: email for guardian_id, email in rows}


def _guardian_out(
    g: tables.Guardian,
    family: FamilyAccess,
    addresses: list[tables.Address],
    emails: list[tables.Email],
    phones: list[tables.Phone],
    invited: dict[int, str],
) -> GuardianOut:
    return GuardianOut(
        id=g.id,
        first_name=g.first_name,
        last_name=g.last_name,
        relation=g.relation,
        is_primary=g.is_primary,
        login_access=g.login_access,
        can_make_payments=g.can_make_payments,
        invited_email=invited.get(g.id),
        contacts=None
        if _keeps_own_contacts(g, family.viewer_id)
        else _contacts_of(g.id, addresses, emails, phones),
        actions=guardian_actions(g, family.capabilities),
        version=g.version,
    )


def guardian_out(family: FamilyAccess, guardian: tables.Guardian) -> GuardianOut:
    """One guardian as the caller sees them in list_guardians."""
    return _guardian_out(
        guardian,
        family,
        _of_family(family.db, tables.Address, family.id),
        _of_family(family.db, tables.Email, family.id),
        _of_family(family.db, tables.Phone, family.id),
        _invited(family),
    )


def list_guardians(family: FamilyAccess) -> GuardiansOut:
    db = family.db
    guardians = db.scalars(
        select(tables.Guardian)
        .where(tables.Guardian.family_id == family.id)
        .order_by(tables.Guardian.is_primary.desc(), tables.Guardian.id)
    ).all()
    addresses = _of_family(db, tables.Address, family.id)
    emails = _of_family(db, tables.Email, family.id)
    phones = _of_family(db, tables.Phone, family.id)
    invited = _invited(family)
    return GuardiansOut(
        guardians=[_guardian_out(g, family, addresses, emails, phones, invited) for g in guardians],
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
        lambda: guardian_out(family, guardian),
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
    return guardian_out(family, guardian)


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
    return guardian_out(family, guardian)
