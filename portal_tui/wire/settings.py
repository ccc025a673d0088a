"""The business, its settings and locations."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, StrictBool, StrictInt

from portal_tui.wire.common import Id, Version, WireModel


class PaymentGateway(StrEnum):
    NONE = "none"
    DEMO = "demo"


class BusinessSettings(WireModel):
    """Every business setting SPEC names, with its default.

    Names are the ones `portal-server settings set NAME VALUE` takes.
    """

    cancel_waitlist: StrictBool = Field(True, description="Cancel Waitlist")
    drop_enrollments: StrictBool = Field(False, description="Drop Enrollments")
    transfer_enrollments: StrictBool = Field(False, description="Transfer Enrollments")
    attendance: StrictBool = Field(True, description="Attendance")
    makeup_tokens: StrictBool = Field(True, description="Makeup Tokens")
    makeup_requests: StrictBool = Field(
        False, description="Allow Visitors to Request a Makeup Enrollment"
    )
    makeup_request_days: StrictInt = Field(
        30, ge=1, le=365, description="A makeup may be requested for a session this many days ahead"
    )
    makeup_token_days: StrictInt = Field(
        90, ge=1, le=730, description="A makeup token expires this many days after it is issued"
    )
    future_absences: StrictBool = Field(True, description="Future Absences")
    absence_makeup_tokens: StrictBool = Field(
        True, description="Grant a makeup token for an absence given with enough notice"
    )
    absence_token_notice_hours: StrictInt = Field(
        24, ge=0, le=720, description="Notice an absence needs to earn a makeup token"
    )
    qr_codes: StrictBool = Field(True, description="QR Codes")
    punch_passes: StrictBool = Field(True, description="Passes")
    punch_pass_redeem: StrictBool = Field(False, description="Redeem punches in the portal")
    edit_contacts: StrictBool = Field(
        True, description="Customers may add, change and delete their contact details"
    )
    phone_region: str = Field(
        "US", pattern=r"^[A-Z]{2}$", description="Country of phone numbers given without one"
    )
    credit: StrictBool = Field(True, description="Credit")
    payment_gateway: PaymentGateway = Field(
        PaymentGateway.DEMO, description="Online payments gateway"
    )
    echecks: StrictBool = Field(True, description="eChecks: Bank Account methods")
    max_payment_methods: StrictInt = Field(
        3, ge=1, le=10, description="Stored payment methods per guardian"
    )
    allow_delete_payment_methods: StrictBool = Field(
        True, description="Guardians may delete a stored payment method"
    )
    allow_recurring_authorization: StrictBool = Field(
        True, description="Offer the recurring-billing authorization toggle"
    )
    require_recurring_payment_method: StrictBool = Field(
        False,
        description="Require Saved Payment Method Authorized For Recurring Billing",
    )
    statements: StrictBool = Field(True, description="Generate Statement")
    ledgers: StrictBool = Field(True, description="Generate Ledger")
    full_ledger_history: StrictBool = Field(
        False,
        description="Show Full Ledger History, Not Just The Last 30 Day History",
    )
    session_hours: StrictInt = Field(12, ge=1, le=720, description="Session lifetime")
    login_max_failures: StrictInt = Field(
        5, ge=0, le=100, description="Failed sign-ins in a row that lock an account (0: never)"
    )
    login_address_max_failures: StrictInt = Field(
        30,
        ge=0,
        le=10000,
        description="Failed sign-ins from one client address that lock it out; a third of"
        " them on, each next try waits longer (0: never)",
    )
    login_lock_minutes: StrictInt = Field(
        15, ge=1, le=1440, description="How long a locked account or client address stays locked"
    )
    checkin_early_minutes: StrictInt = Field(30, ge=0, le=240, description="QR check-in")
    checkin_late_minutes: StrictInt = Field(15, ge=0, le=240, description="QR check-in")
    staff_require_2fa: StrictBool = Field(
        False,
        description="Staff must sign in with two-step verification (one who has not turned"
        " it on is refused sign-in)",
    )
    kiosk_idle_seconds: StrictInt = Field(
        120, ge=15, le=3600, description="Kiosk: sign out after this many idle seconds"
    )
    audit_retention_days: StrictInt = Field(2555, ge=30, description="Audit log retention")
    closed_account_retention_days: StrictInt = Field(
        2555, ge=30, description="Closed-account retention"
    )


class BusinessOut(WireModel):
    """The business a server serves, with its settings (read by every client at sign-in)."""

    name: str
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code")
    currency_symbol: str = Field(max_length=4, description="Shown before amounts")
    time_zone: str
    settings: BusinessSettings
    version: Version


class LocationOut(WireModel):
    id: Id
    name: str
    address: str
    version: Version
