"""The caller's stored payment methods (/families/{id}/payment-methods) and the primary's
grant of a secondary guardian's permission to pay."""

from __future__ import annotations

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.payment_methods import (
    NewPaymentMethod,
    PaymentMethodOut,
    PaymentMethodUpdate,
    PaymentPermission,
)


class PaymentMethodApi:
    """The signed-in guardian's own methods in the open family."""

    def __init__(self, http: PortalHttp, family_path: str) -> None:
        self.http = http
        self.family_path = family_path
        self.path = f"{family_path}/payment-methods"

    async def list(self) -> list[PaymentMethodOut]:
        """The caller's methods, oldest first."""
        found: list[PaymentMethodOut] = await self.http.read(self.path, list[PaymentMethodOut])
        return found

    async def add(self, body: NewPaymentMethod) -> PaymentMethodOut:
        """Save a card or bank account (its numbers reach only the server's gateway)."""
        added: PaymentMethodOut = await self.http.send("POST", self.path, body, PaymentMethodOut)
        return added

    async def update(self, method_id: int, body: PaymentMethodUpdate) -> PaymentMethodOut:
        """Change the default and recurring toggles; a Conflict carries the method as it is."""
        try:
            changed: PaymentMethodOut = await self.http.send(
                "PUT", f"{self.path}/{method_id}", body, PaymentMethodOut
            )
        except errors.Conflict as exc:
            raise exc.typed(PaymentMethodOut) from None
        return changed

    async def delete(self, method: PaymentMethodOut) -> None:
        """Delete the method as the user saw it (409: it changed, or recurring billing uses it)."""
        try:
            await self.http.send(
                "DELETE", f"{self.path}/{method.id}", None, None, version=method.version
            )
        except errors.Conflict as exc:
            raise exc.typed(PaymentMethodOut) from None

    async def set_payment_permission(
        self, guardian_id: int, *, allowed: bool, version: int
    ) -> GuardianOut:
        """Grant ("Allow Payments") or withdraw a secondary guardian's permission to pay."""
        body = PaymentPermission(can_make_payments=allowed, version=version)
        path = f"{self.family_path}/guardians/{guardian_id}/payment-permission"
        try:
            guardian: GuardianOut = await self.http.send("PUT", path, body, GuardianOut)
        except errors.Conflict as exc:
            raise exc.typed(GuardianOut) from None
        return guardian
