"""The primary guardian lets a secondary guardian make payments, or withdraws it ("Allow
Payments", "Withdraw Payment Permission"): shared by the Payments and Account Info tabs."""

from __future__ import annotations

from textual.widget import Widget

from portal_tui.messages import GuardiansChanged
from portal_tui.signed_in import OpenFamily
from portal_tui.wire.account import GuardianAccessAction, GuardianOut

ALLOW = "Allow Payments"
WITHDRAW = "Withdraw Payment Permission"


def grantable(guardian: GuardianOut) -> bool:
    """The portal offers the caller to allow `guardian` to pay, or to withdraw it."""
    granting = {GuardianAccessAction.ALLOW_PAYMENTS, GuardianAccessAction.WITHDRAW_PAYMENTS}
    return bool(granting & set(guardian.actions))


def action_label(guardian: GuardianOut) -> str:
    return WITHDRAW if guardian.can_make_payments else ALLOW


def status(guardian: GuardianOut) -> str:
    name = guardian.full_name
    return f"{name} {'may' if guardian.can_make_payments else 'may not'} make payments"


async def change_permission(view: Widget, family: OpenFamily, guardian: GuardianOut) -> str:
    """Grant or withdraw `guardian`'s permission (as the user saw it); returns what to say.

    Failures are raised for the view's own failure handling. Other views showing guardians
    are told the record changed.
    """
    allowed = not guardian.can_make_payments
    await family.api.payment_methods.set_payment_permission(
        guardian.id, allowed=allowed, version=guardian.version
    )
    view.post_message(GuardiansChanged(view))
    said = "may now make payments" if allowed else "may no longer make payments"
    return f"{guardian.full_name} {said}."
