"""Add, change and delete a family's mailing addresses, emails and phones."""

from __future__ import annotations

from fastapi import APIRouter, Response

from portal_tui.server.deps import AccessedFamily, RecordIdPath, VersionQuery, require
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import contacts as contacts_service
from portal_tui.wire.account import AddressOut, EmailOut, PhoneOut
from portal_tui.wire.contacts import (
    AddressFields,
    AddressUpdate,
    EmailFields,
    EmailUpdate,
    PhoneFields,
    PhoneUpdate,
)

router = APIRouter(
    prefix="/families/{family_id}",
    tags=["contacts"],
    responses=WRITE,
    dependencies=[
        require(lambda c: c.edits_contacts, "Contact details cannot be changed in the portal.")
    ],
)


def _deleted() -> Response:
    return Response(status_code=204)


@router.post("/addresses", response_model=AddressOut, status_code=201)
def add_address(family: AccessedFamily, body: AddressFields) -> AddressOut:
    return contacts_service.add_address(family, body)


@router.put("/addresses/{record_id}", response_model=AddressOut)
def update_address(
    family: AccessedFamily, record_id: RecordIdPath, body: AddressUpdate
) -> AddressOut:
    return contacts_service.update_address(family, record_id, body)


@router.delete("/addresses/{record_id}", status_code=204, response_class=Response)
def delete_address(
    family: AccessedFamily, record_id: RecordIdPath, version: VersionQuery
) -> Response:
    contacts_service.delete_address(family, record_id, version)
    return _deleted()


@router.post("/emails", response_model=EmailOut, status_code=201)
def add_email(family: AccessedFamily, body: EmailFields) -> EmailOut:
    return contacts_service.add_email(family, body)


@router.put("/emails/{record_id}", response_model=EmailOut)
def update_email(family: AccessedFamily, record_id: RecordIdPath, body: EmailUpdate) -> EmailOut:
    return contacts_service.update_email(family, record_id, body)


@router.delete("/emails/{record_id}", status_code=204, response_class=Response)
def delete_email(
    family: AccessedFamily, record_id: RecordIdPath, version: VersionQuery
) -> Response:
    contacts_service.delete_email(family, record_id, version)
    return _deleted()


@router.post("/phones", response_model=PhoneOut, status_code=201)
def add_phone(family: AccessedFamily, body: PhoneFields) -> PhoneOut:
    return contacts_service.add_phone(family, body)


@router.put("/phones/{record_id}", response_model=PhoneOut)
def update_phone(family: AccessedFamily, record_id: RecordIdPath, body: PhoneUpdate) -> PhoneOut:
    return contacts_service.update_phone(family, record_id, body)


@router.delete("/phones/{record_id}", status_code=204, response_class=Response)
def delete_phone(
    family: AccessedFamily, record_id: RecordIdPath, version: VersionQuery
) -> Response:
    contacts_service.delete_phone(family, record_id, version)
    return _deleted()
