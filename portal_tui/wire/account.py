"""The family's account: summary, guardians and their contacts."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from portal_tui.wire.common import Cents, Id, Version, WireModel


class LoginAccess(StrEnum):
    """A guardian's access indicator, as the primary guardian sees it."""

    NONE = "none"
    INVITE_SENT = "invite_sent"
    CAN_LOG_IN = "can_log_in"
    INVITE_REVOKED = "invite_revoked"


class GuardianAccessAction(StrEnum):
    """What the primary guardian may do now about another guardian: their sign-in, and their
    permission to make payments."""

    SEND_INVITE = "send_invite"
    RESEND_INVITE = "resend_invite"
    REVOKE = "revoke"
    RESET_PASSWORD = "reset_password"
    ALLOW_PAYMENTS = "allow_payments"
    WITHDRAW_PAYMENTS = "withdraw_payments"


class InvitationStatus(StrEnum):
    """Where an invitation to log in stands."""

    SENT = "sent"
    ACCEPTED = "accepted"
    REVOKED = "revoked"


class PhoneLabel(StrEnum):
    MOBILE = "mobile"
    HOME = "home"
    WORK = "work"


class LastPayment(WireModel):
    amount_cents: Cents
    paid_on: date


class GuardianBrief(WireModel):
    id: Id
    name: str
    is_primary: bool


class AccountSummary(WireModel):
    """What the family owes, its credit, and its last payment."""

    family_id: Id
    family_name: str
    guardians: list[GuardianBrief]
    balance_cents: Cents
    outstanding_cents: Cents
    credit_cents: Cents | None = Field(
        description="None where the business does not show credit (a display setting: "
        "the credit is still outstanding_cents - balance_cents)"
    )
    last_payment: LastPayment | None


class AddressOut(WireModel):
    id: Id
    guardian_id: int | None
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    version: Version


class EmailOut(WireModel):
    id: Id
    guardian_id: int | None
    address: str
    is_login: bool
    opted_out: bool
    version: Version


class PhoneOut(WireModel):
    id: Id
    guardian_id: int | None
    number: str = Field(description="E.164, e.g. +13125550148")
    label: PhoneLabel
    opted_out: bool
    version: Version


class Contacts(WireModel):
    addresses: list[AddressOut]
    emails: list[EmailOut]
    phones: list[PhoneOut]


class GuardianOut(WireModel):
    """A guardian with the contacts linked to them.

    `contacts` is None for a secondary guardian who has accepted an invitation, when
    someone else asks: from then on only they see and edit their contact data.
    """

    id: Id
    first_name: str
    last_name: str
    relation: str = Field(description='How they are related to the students ("" if not given)')
    is_primary: bool
    login_access: LoginAccess
    can_make_payments: bool
    invited_email: str | None = Field(
        None,
        description="Where the pending invitation went; shown to the primary guardian only.",
    )
    contacts: Contacts | None
    actions: list[GuardianAccessAction] = Field(
        default_factory=list,
        description="What the caller may do now about this guardian's sign-in and permission "
        "to pay (for the primary guardian only; empty for anyone else).",
    )
    version: Version

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class GuardiansOut(WireModel):
    """Every guardian of the family, and the contacts linked to nobody ("Unassigned")."""

    guardians: list[GuardianOut]
    unassigned: Contacts
