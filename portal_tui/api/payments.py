"""Make Payment, its receipt read again, and Apply Credit (/families/{id}/payments,
/credit/…).

A payment is sent with an Idempotency-Key made once per attempt (`new_attempt_key`). When
the answer is lost (no answer, or the connection dropped) the same request
is sent again with the same key, so the server answers with the first result: one charge.
"""

from __future__ import annotations

import uuid

from portal_tui.api import errors
from portal_tui.api.section import FamilySection
from portal_tui.wire.payments import (
    ApplyCredit,
    CreditPlan,
    PaymentOptions,
    PaymentReceipt,
    PaymentRequest,
)

RESENDS = 2
"""How many times a payment whose answer was lost is sent again (with the same key)."""


def new_attempt_key() -> str:
    """An Idempotency-Key for one payment attempt."""
    return uuid.uuid4().hex


class PaymentApi(FamilySection):
    """The open family's payments, reached through `FamilyApi.payments`."""

    async def options(self, location_id: int | None = None) -> PaymentOptions:
        """What a payment at the location may be (what it owes), and the caller's stored
        methods it may use."""
        return await self.read("/payments/options", PaymentOptions, location_id=location_id)

    async def pay(
        self, body: PaymentRequest, attempt_key: str, location_id: int | None = None
    ) -> PaymentReceipt:
        """Make Payment at the selected location: charged once for `attempt_key`, however
        often the answer is lost.

        Raises `PaymentDeclined` (nothing charged), `ValidationFailed`, or
        `PaymentAlreadyMade` with the receipt of what this key already paid; a
        `ServerUnreachable` after the resends leaves the attempt unknown: retry it with the
        same key.
        """
        headers = {"Idempotency-Key": attempt_key}
        resends = RESENDS
        while True:
            try:
                receipt: PaymentReceipt = await self.send(
                    "POST",
                    "/payments",
                    body,
                    PaymentReceipt,
                    headers=headers,
                    location_id=location_id,
                )
            except errors.ServerUnreachable:
                if resends == 0:
                    raise
                resends -= 1
            except errors.PaymentAlreadyMade as made:
                raise made.typed(PaymentReceipt) from None
            else:
                return receipt

    async def receipt(self, entry_id: int) -> PaymentReceipt:
        """The receipt of the payment a ledger entry is part of (the whole payment, however
        many locations it paid); `NotFound` when no stored method paid it."""
        return await self.read(f"/payments/{entry_id}/receipt", PaymentReceipt)

    async def credit_preview(self) -> CreditPlan:
        """What Apply Credit would pay now, oldest charge first."""
        return await self.read("/credit/preview", CreditPlan)

    async def apply_credit(self, preview: CreditPlan) -> CreditPlan:
        """Apply Credit as `preview` showed it; a Conflict carries the new preview."""
        body = ApplyCredit(total_cents=preview.total_cents)
        applied: CreditPlan = await self.send(
            "POST", "/credit/apply", body, CreditPlan, current=CreditPlan
        )
        return applied
