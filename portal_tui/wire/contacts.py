"""Requests that add or change a family's addresses, emails and phones.

Each contact is linked to a guardian of the family or to nobody (`guardian_id` None). An
update names the version it edited; a stale one is answered 409 with the current record.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool

from portal_tui.wire.account import AddressOut, EmailOut, PhoneLabel, PhoneOut
from portal_tui.wire.common import Id, PlainText, RequestModel, Resource, Version


class AddressFields(RequestModel):
    guardian_id: Id | None = None
    line1: PlainText = Field(min_length=1, max_length=200)
    line2: PlainText = Field("", max_length=200)
    city: PlainText = Field(min_length=1, max_length=100)
    region: PlainText = Field("", max_length=100)
    postal_code: PlainText = Field("", max_length=20)


class AddressUpdate(AddressFields):
    version: Version


class EmailFields(RequestModel):
    guardian_id: Id | None = None
    address: PlainText = Field(min_length=3, max_length=254)
    opted_out: StrictBool = Field(False, description="Opted out of email blasts")


class EmailUpdate(EmailFields):
    version: Version


class PhoneFields(RequestModel):
    guardian_id: Id | None = None
    number: PlainText = Field(min_length=3, max_length=32, description="Stored as E.164")
    label: PhoneLabel = PhoneLabel.MOBILE
    opted_out: StrictBool = Field(False, description="Opted out of SMS/text messages")


class PhoneUpdate(PhoneFields):
    version: Version


ContactOut = AddressOut | EmailOut | PhoneOut

ADDRESSES = Resource("addresses", "Mailing Address", AddressFields, AddressUpdate, AddressOut)
EMAILS = Resource("emails", "Email", EmailFields, EmailUpdate, EmailOut)
PHONES = Resource("phones", "Phone", PhoneFields, PhoneUpdate, PhoneOut)
CONTACT_RESOURCES: tuple[Resource[Any], ...] = (ADDRESSES, EMAILS, PHONES)


def resource_of(record: ContactOut) -> Resource[Any]:
    """The kind of contact `record` is."""
    return next(r for r in CONTACT_RESOURCES if isinstance(record, r.out))
