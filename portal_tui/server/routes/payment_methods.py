"""A guardian's stored payment methods, and the primary's grant of a secondary's permission
to pay. Every route is off where no payment gateway is configured."""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_tui.server.deps import AccessedFamily, RecordIdPath, VersionQuery, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import payment_methods as methods_service
from portal_tui.server.services import payment_permission as permission_service
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.payment_methods import (
    NewPaymentMethod,
    PaymentMethodOut,
    PaymentMethodUpdate,
    PaymentPermission,
)

router = APIRouter(prefix="/families/{family_id}", tags=["payment methods"], responses=WRITE)

SAVES = require(lambda c: c.save_payment_methods, "Payment methods cannot be saved in the portal.")


@router.get("/payment-methods", response_model=list[PaymentMethodOut], dependencies=[SAVES])
def list_methods(family: AccessedFamily) -> list[PaymentMethodOut]:
    """The caller's own stored methods, oldest first."""
    return methods_service.list_methods(family)


@router.post(
    "/payment-methods", response_model=PaymentMethodOut, status_code=201, dependencies=[SAVES]
)
def add_method(family: AccessedFamily, body: NewPaymentMethod) -> PaymentMethodOut:
    """Save a card or bank account: its numbers go to the gateway, never into the database."""
    return methods_service.add_method(family, body)


@router.put("/payment-methods/{record_id}", response_model=PaymentMethodOut, dependencies=[SAVES])
def update_method(
    family: AccessedFamily, record_id: RecordIdPath, body: PaymentMethodUpdate
) -> PaymentMethodOut:
    return methods_service.update_method(family, record_id, body)


@router.delete(
    "/payment-methods/{record_id}",
    status_code=204,
    response_class=Response,
    dependencies=[
        SAVES,
        require(
            lambda c: c.delete_payment_methods, "Payment methods cannot be deleted in the portal."
        ),
    ],
)
def delete_method(
    family: AccessedFamily, record_id: RecordIdPath, version: VersionQuery
) -> Response:
    methods_service.delete_method(family, record_id, version)
    return Response(status_code=204)


@router.put(
    "/guardians/{record_id}/payment-permission",
    response_model=GuardianOut,
    dependencies=[
        require(
            lambda c: c.grant_payment_permission,
            "Only the primary guardian can allow another guardian to make payments.",
        )
    ],
)
def set_payment_permission(
    family: AccessedFamily, record_id: RecordIdPath, body: PaymentPermission
) -> GuardianOut:
    """Grant ("Allow Payments") or withdraw a secondary guardian's permission to pay."""
    return permission_service.set_payment_permission(family, record_id, body)
