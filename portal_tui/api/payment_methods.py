"""The caller's stored payment methods (/families/{id}/payment-methods) and the primary's
grant of a secondary guardian's permission to pay."""

from __future__ import annotations

from portal_tui.api.section import FamilySection
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.payment_methods import (
    NewPaymentMethod,
    PaymentMethodOut,
    PaymentMethodUpdate,
    PaymentPermission,
)

PATH = "/payment-methods"


class PaymentMethodApi(FamilySection):
    """The signed-in guardian's own methods in the open family."""

    async def list(self) -> list[PaymentMethodOut]:
        """The caller's methods, oldest first."""
        return await self.read(PATH, list[PaymentMethodOut])

    async def add(self, body: NewPaymentMethod) -> PaymentMethodOut:
        """Save a card or bank account (its numbers reach only the server's gateway)."""
        added: PaymentMethodOut = await self.send("POST", PATH, body, PaymentMethodOut)
        return added

    async def update(self, method_id: int, body: PaymentMethodUpdate) -> PaymentMethodOut:
        """Change the default and recurring toggles; a Conflict carries the method as it is."""
        changed: PaymentMethodOut = await self.send(
            "PUT", f"{PATH}/{method_id}", body, PaymentMethodOut, current=PaymentMethodOut
        )
        return changed

    async def delete(self, method: PaymentMethodOut) -> None:
        """Delete the method as the user saw it (409: it changed, or recurring billing uses it)."""
        path = f"{PATH}/{method.id}"
        await self.send(
            "DELETE", path, None, None, current=PaymentMethodOut, version=method.version
        )

    async def set_payment_permission(
        self, guardian_id: int, *, allowed: bool, version: int
    ) -> GuardianOut:
        """Grant ("Allow Payments") or withdraw a secondary guardian's permission to pay."""
        body = PaymentPermission(can_make_payments=allowed, version=version)
        path = f"/guardians/{guardian_id}/payment-permission"
        guardian: GuardianOut = await self.send("PUT", path, body, GuardianOut, current=GuardianOut)
        return guardian
