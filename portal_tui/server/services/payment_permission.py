"""The primary guardian grants or withdraws a secondary guardian's permission to pay."""

from __future__ import annotations

from portal_tui.server.errors import Invalid
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.guardians import (
    find_guardian,
    guardian_actions,
    guardian_out,
    require_guardian_version,
)
from portal_tui.wire.account import GuardianAccessAction, GuardianOut
from portal_tui.wire.payment_methods import PaymentPermission


def set_payment_permission(
    family: FamilyAccess, guardian_id: int, body: PaymentPermission
) -> GuardianOut:
    """Only a secondary guardian who signs in themselves can be allowed to pay."""
    guardian = find_guardian(family, guardian_id)
    require_guardian_version(family, guardian, body.version)
    granting = {GuardianAccessAction.ALLOW_PAYMENTS, GuardianAccessAction.WITHDRAW_PAYMENTS}
    if not granting & set(guardian_actions(guardian, family.capabilities)):
        raise Invalid("Only a secondary guardian who signs in can be allowed to make payments.")
    guardian.can_make_payments = body.can_make_payments
    family.db.flush()
    family.audit(
        "guardian.payment_permission",
        {"guardian": guardian.id},
        {"can_make_payments": body.can_make_payments},
    )
    return guardian_out(family, guardian)
