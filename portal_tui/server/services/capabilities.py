"""What a guardian may do in their family, from the business's settings and who they are."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.family import Capabilities
from portal_tui.wire.settings import BusinessSettings, PaymentGateway


def signs_in_themselves(guardian: tables.Guardian) -> bool:
    """The primary guardian, or a secondary who accepted an invitation and can log in.

    Such a guardian's contact details are changed only by themselves (and an accepted
    secondary's are seen only by themselves: services/guardians.py).
    """
    return guardian.is_primary or guardian.login_access == LoginAccess.CAN_LOG_IN


def accepted_secondary(guardian: tables.Guardian) -> bool:
    """A secondary guardian who accepted an invitation: their contacts are seen by them alone."""
    return signs_in_themselves(guardian) and not guardian.is_primary


def may_edit_guardian(caller: tables.Guardian, guardian: tables.Guardian) -> bool:
    """A guardian's name and relation are changed by themselves, or by the primary guardian
    while they do not sign in themselves (an accepted secondary keeps their own details)."""
    return guardian.id == caller.id or (caller.is_primary and not signs_in_themselves(guardian))


def compute(
    *, db: Session, guardian: tables.Guardian, family_id: int, settings: BusinessSettings
) -> Capabilities:
    """The capabilities of `guardian` in `family_id` (their own family)."""
    guardians = list(
        db.scalars(select(tables.Guardian).where(tables.Guardian.family_id == family_id))
    )
    editable = (
        [g.id for g in guardians if g.id == guardian.id or not signs_in_themselves(g)]
        if settings.edit_contacts
        else []
    )
    online = settings.payment_gateway is not PaymentGateway.NONE
    payer = guardian.is_primary or guardian.can_make_payments
    saves = online and signs_in_themselves(guardian)
    required = saves and settings.require_recurring_payment_method
    return Capabilities(
        edit_contacts_of=sorted(editable),
        add_guardian=guardian.is_primary,
        edit_guardians=sorted(g.id for g in guardians if may_edit_guardian(guardian, g)),
        edit_unassigned_contacts=settings.edit_contacts,
        credit=settings.credit,
        online_payments=online,
        make_payments=online and payer,
        apply_credit=settings.credit and payer,
        cancel_waitlist=settings.cancel_waitlist,
        drop_enrollments=settings.drop_enrollments,
        transfer_enrollments=settings.transfer_enrollments,
        attendance=settings.attendance,
        makeup_tokens=settings.makeup_tokens,
        makeup_requests=settings.makeup_requests and not settings.makeup_tokens,
        future_absences=settings.future_absences,
        qr_codes=settings.qr_codes,
        punch_passes=settings.punch_passes,
        redeem_punches=settings.punch_passes and settings.punch_pass_redeem,
        save_payment_methods=saves,
        max_payment_methods=settings.max_payment_methods if saves else 0,
        delete_payment_methods=saves and settings.allow_delete_payment_methods and not required,
        recurring_authorization=saves and settings.allow_recurring_authorization and not required,
        recurring_required=required,
        bank_accounts=saves and settings.echecks,
        grant_payment_permission=online and guardian.is_primary,
        manage_guardian_logins=guardian.is_primary,
        statements=settings.statements,
        ledgers=settings.ledgers,
        full_ledger_history=settings.ledgers and settings.full_ledger_history,
    )
