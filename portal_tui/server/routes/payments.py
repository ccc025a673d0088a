"""Make Payment and Apply Credit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header

from portal_tui.server.deps import AccessedFamily, LocationId, RecordIdPath, require
from portal_tui.server.routes.responses import FAMILY, WRITE, error
from portal_tui.server.services import credit as credit_service
from portal_tui.server.services import payments as payments_service
from portal_tui.wire.payments import (
    IDEMPOTENCY_KEY_PATTERN,
    ApplyCredit,
    CreditPlan,
    PaymentOptions,
    PaymentReceipt,
    PaymentRequest,
)

NO_PAYMENTS = payments_service.NO_PAYMENTS
NO_CREDIT = "Credit is not shown, or you were not given permission to make payments."

router = APIRouter(prefix="/families/{family_id}", tags=["payments"], responses=FAMILY)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Made once per payment attempt by the client; a retry of that attempt "
        "sends it again and gets the first answer (one charge).",
    ),
]


@router.get(
    "/payments/options",
    response_model=PaymentOptions,
    dependencies=[require(lambda c: c.make_payments, NO_PAYMENTS)],
)
def payment_options(family: AccessedFamily, location_id: LocationId) -> PaymentOptions:
    """What a payment at the selected location may be: at most what it owes, by the
    caller's own stored methods or a new one."""
    return payments_service.options(family, location_id)


PAYMENT: dict[int | str, dict[str, Any]] = {
    422: error(
        "Invalid input; or `payment_declined`; or `idempotency_key_reused`: this key already "
        "paid another amount or method, and `current` is that payment's receipt."
    ),
    502: error("The payment gateway failed; retry the same attempt (same key)."),
}


@router.post("/payments", response_model=PaymentReceipt, responses=PAYMENT)
def make_payment(
    family: AccessedFamily,
    idempotency_key: IdempotencyKey,
    body: PaymentRequest,
    location_id: LocationId,
) -> PaymentReceipt:
    """Charge the method once and pay the selected location's oldest charges first
    (without a location, every location's, recorded as one entry per location paid). 422
    with code `payment_declined` when the gateway refuses it (nothing changes); 422
    `idempotency_key_reused` with the earlier receipt when the key already paid another
    amount, method or location. 403 unless the caller may pay; a retry of a payment made
    gets its receipt even once online payments are off."""
    return payments_service.make_payment(family, idempotency_key, body, location_id)


@router.get("/payments/{record_id}/receipt", response_model=PaymentReceipt)
def payment_receipt(family: AccessedFamily, record_id: RecordIdPath) -> PaymentReceipt:
    """The receipt of the payment whose ledger entry is `record_id` (any of its entries, if
    it paid several locations): its whole amount, method, date and reference. 404 for an
    entry that is no payment of this family, or that no stored method paid."""
    return payments_service.receipt(family, record_id)


@router.get(
    "/credit/preview",
    response_model=CreditPlan,
    dependencies=[require(lambda c: c.apply_credit, NO_CREDIT)],
)
def credit_preview(family: AccessedFamily) -> CreditPlan:
    """What Apply Credit would pay now, oldest charge first."""
    return credit_service.preview(family)


@router.post(
    "/credit/apply",
    response_model=CreditPlan,
    responses=WRITE,
    dependencies=[require(lambda c: c.apply_credit, NO_CREDIT)],
)
def apply_credit(family: AccessedFamily, body: ApplyCredit) -> CreditPlan:
    """Apply the credit as previewed (409 with the new preview when it changed)."""
    return credit_service.apply(family, body)
