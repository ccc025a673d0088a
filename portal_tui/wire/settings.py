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

    cancel_waitlist: StrictBool = Field(True, description="Cancel Waitlist (S2)")
    drop_enrollments: StrictBool = Field(False, description="Drop Enrollments (S2)")
    transfer_enrollments: StrictBool = Field(False, description="Transfer Enrollments (S2)")
    attendance: StrictBool = Field(True, description="Attendance (S4)")
    makeup_tokens: StrictBool = Field(True, description="Makeup Tokens (S5)")
    makeup_requests: StrictBool = Field(
        False, description="Allow Visitors to Request a Makeup Enrollment (S5)"
    )
    future_absences: StrictBool = Field(True, description="Future Absences (S6)")
    qr_codes: StrictBool = Field(True, description="QR Codes (S7)")
    punch_passes: StrictBool = Field(True, description="Passes (S8)")
    punch_pass_redeem: StrictBool = Field(False, description="Redeem punches in the portal (S8)")
    edit_contacts: StrictBool = Field(
        True, description="Customers may add, change and delete their contact details"
    )
    phone_region: str = Field(
        "US", pattern=r"^[A-Z]{2}$", description="Country of phone numbers given without one"
    )
    credit: StrictBool = Field(True, description="Credit (P2)")
    payment_gateway: PaymentGateway = Field(
        PaymentGateway.DEMO, description="Online payments gateway (P7)"
    )
    echecks: StrictBool = Field(True, description="eChecks: Bank Account methods (P5)")
    max_payment_methods: StrictInt = Field(3, ge=1, le=10, description="Per guardian (P4)")
    allow_delete_payment_methods: StrictBool = Field(True, description="Delete (P4)")
    allow_recurring_authorization: StrictBool = Field(True, description="Recurring toggle (P5)")
    require_recurring_payment_method: StrictBool = Field(
        False,
        description="Require Saved Payment Method Authorized For Recurring Billing (P6)",
    )
    statements: StrictBool = Field(True, description="Generate Statement (T2)")
    ledgers: StrictBool = Field(True, description="Generate Ledger (T3)")
    full_ledger_history: StrictBool = Field(
        False,
        description="Show Full Ledger History, Not Just The Last 30 Day History (T3)",
    )
    session_hours: StrictInt = Field(12, ge=1, le=720, description="Session lifetime")
    checkin_early_minutes: StrictInt = Field(30, ge=0, le=240, description="QR check-in (B13)")
    checkin_late_minutes: StrictInt = Field(15, ge=0, le=240, description="QR check-in (B13)")
    staff_require_2fa: StrictBool = Field(False, description="Two-step for staff (B9)")
    kiosk_idle_seconds: StrictInt = Field(120, ge=15, le=3600, description="Kiosk (B2)")
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
