"""Adding, changing and deleting a family's addresses, emails and phones.

Every change is checked against the caller's capabilities for both the contact's current
guardian and the one it moves to, names the version it edited, and is audited.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.errors import Forbidden, Invalid, NotFound
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.wire.account import AddressOut, EmailOut, PhoneOut
from portal_tui.wire.checks import normalize_email, normalize_phone
from portal_tui.wire.contacts import (
    AddressFields,
    AddressUpdate,
    EmailFields,
    EmailUpdate,
    PhoneFields,
    PhoneUpdate,
)

Row = TypeVar("Row", tables.Address, tables.Email, tables.Phone)

KEPT_BY_OWNER = "Only that guardian can change their own contact details."
TURNED_OFF = "Contact details cannot be changed in the portal."


def _find(family: FamilyAccess, table: type[Row], record_id: int) -> Row:
    """The family's record, or 404 (another family's id reveals nothing)."""
    row = family.db.scalar(select(table).where(table.id == record_id, table.family_id == family.id))
    if row is None:
        raise NotFound("That contact does not exist.")
    return row


def _check_owner(family: FamilyAccess, guardian_id: int | None) -> None:
    """The caller may change contacts linked to `guardian_id`, which is one of this family's."""
    if guardian_id is not None:
        guardian = family.db.get(tables.Guardian, guardian_id)
        if guardian is None or guardian.family_id != family.id:
            raise Invalid(
                "Choose a guardian of this family.",
                fields={"guardian_id": "not a guardian of this family"},
            )
    if not family.capabilities.may_edit_contacts_of(guardian_id):
        raise Forbidden(KEPT_BY_OWNER if family.capabilities.edits_contacts else TURNED_OFF)


def _editable(
    family: FamilyAccess, table: type[Row], out: type[BaseModel], record_id: int, version: int
) -> Row:
    """The family's record, which the caller may change, at the version they edited (409
    with the record as it is now, otherwise)."""
    row = _find(family, table, record_id)
    _check_owner(family, row.guardian_id)
    require_version(row, version, lambda: out.model_validate(row), "contact")
    return row


def _deleted(family: FamilyAccess, row: Row, kind: str) -> None:
    family.audit(f"{kind}.delete", {kind: row.id})
    family.db.delete(row)


def _email(value: str) -> str:
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise Invalid("Check the email address.", fields={"address": str(exc)}) from exc


def _phone(family: FamilyAccess, value: str) -> str:
    try:
        return normalize_phone(value, family.settings.phone_region)
    except ValueError as exc:
        raise Invalid("Check the phone number.", fields={"number": str(exc)}) from exc


def _saved(
    family: FamilyAccess, row: Row, kind: str, verb: str, moved_from: int | None = None
) -> None:
    """Flush the row (it gets its id and version) and audit the write; a contact moved to
    another guardian (or to nobody) says from whom to whom."""
    family.db.flush()
    detail = None
    if verb == "update" and moved_from != row.guardian_id:
        detail = {"guardian_from": moved_from, "guardian_to": row.guardian_id}
    family.audit(f"{kind}.{verb}", {kind: row.id}, detail)


# Addresses


def add_address(family: FamilyAccess, body: AddressFields) -> AddressOut:
    _check_owner(family, body.guardian_id)
    row = tables.Address(family_id=family.id, **body.model_dump())
    family.db.add(row)
    _saved(family, row, "address", "add")
    return AddressOut.model_validate(row)


def update_address(family: FamilyAccess, record_id: int, body: AddressUpdate) -> AddressOut:
    row = _editable(family, tables.Address, AddressOut, record_id, body.version)
    moved_from = row.guardian_id
    _check_owner(family, body.guardian_id)
    for name, value in body.model_dump(exclude={"version"}).items():
        setattr(row, name, value)
    _saved(family, row, "address", "update", moved_from)
    return AddressOut.model_validate(row)


def delete_address(family: FamilyAccess, record_id: int, version: int) -> None:
    row = _editable(family, tables.Address, AddressOut, record_id, version)
    _deleted(family, row, "address")


# Emails


def add_email(family: FamilyAccess, body: EmailFields) -> EmailOut:
    _check_owner(family, body.guardian_id)
    row = tables.Email(
        family_id=family.id,
        guardian_id=body.guardian_id,
        address=_email(body.address),
        opted_out=body.opted_out,
        is_login=False,
    )
    family.db.add(row)
    _saved(family, row, "email", "add")
    return EmailOut.model_validate(row)


def update_email(family: FamilyAccess, record_id: int, body: EmailUpdate) -> EmailOut:
    row = _editable(family, tables.Email, EmailOut, record_id, body.version)
    moved_from = row.guardian_id
    _check_owner(family, body.guardian_id)
    address = _email(body.address)
    if row.is_login and address != row.address:
        raise Invalid(
            "The sign-in email cannot be changed here.",
            fields={"address": "this is the email used to sign in"},
        )
    if row.is_login and body.guardian_id != row.guardian_id:
        raise Invalid(
            "The sign-in email stays with its guardian.",
            fields={"guardian_id": "the sign-in email stays with its guardian"},
        )
    row.guardian_id, row.address, row.opted_out = body.guardian_id, address, body.opted_out
    _saved(family, row, "email", "update", moved_from)
    return EmailOut.model_validate(row)


def delete_email(family: FamilyAccess, record_id: int, version: int) -> None:
    row = _editable(family, tables.Email, EmailOut, record_id, version)
    if row.is_login:
        raise Invalid("The email used to sign in cannot be deleted.")
    _deleted(family, row, "email")


# Phones


def add_phone(family: FamilyAccess, body: PhoneFields) -> PhoneOut:
    _check_owner(family, body.guardian_id)
    row = tables.Phone(
        family_id=family.id,
        guardian_id=body.guardian_id,
        number=_phone(family, body.number),
        label=body.label,
        opted_out=body.opted_out,
    )
    family.db.add(row)
    _saved(family, row, "phone", "add")
    return PhoneOut.model_validate(row)


def update_phone(family: FamilyAccess, record_id: int, body: PhoneUpdate) -> PhoneOut:
    row = _editable(family, tables.Phone, PhoneOut, record_id, body.version)
    moved_from = row.guardian_id
    _check_owner(family, body.guardian_id)
    row.number = _phone(family, body.number)
    row.guardian_id, row.label, row.opted_out = body.guardian_id, body.label, body.opted_out
    _saved(family, row, "phone", "update", moved_from)
    return PhoneOut.model_validate(row)


def delete_phone(family: FamilyAccess, record_id: int, version: int) -> None:
    row = _editable(family, tables.Phone, PhoneOut, record_id, version)
    _deleted(family, row, "phone")
