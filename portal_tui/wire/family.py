"""A family as a client opens it, with what the caller may do there."""

from __future__ import annotations

from pydantic import Field

from portal_tui.wire.common import Id, Version, WireModel


class Capabilities(WireModel):
    """What the caller may do in this family: business settings × role × guardian kind.

    The server computes it once per request and enforces each rule itself; the UI composes,
    binds keys and offers commands from it, so what is off is never shown.
    """

    edit_contacts_of: list[Id]
    """Guardians whose addresses, emails and phones the caller may add, change or delete."""
    edit_unassigned_contacts: bool
    """The caller may add, change or delete contacts linked to no guardian."""
    add_guardian: bool = False
    """The caller may add a (secondary) guardian to the family: the primary guardian."""
    edit_guardians: list[Id] = Field(default_factory=list)
    """Guardians whose name and relation the caller may change: themselves, and for the
    primary each secondary guardian who has not accepted an invitation to log in."""
    credit: bool
    """The business shows the family's credit."""
    online_payments: bool
    """A payment gateway is configured: payments and card entry exist."""
    make_payments: bool = False
    """The caller may pay online: a gateway is configured and they are the primary guardian
    or were given permission to make payments."""
    apply_credit: bool = False
    """The caller may apply the family's credit to its charges: credit is shown and they
    may make payments (the primary guardian or permitted)."""
    # The Students tab's features (each off unless the server says so):
    cancel_waitlist: bool = False
    """A waitlist enrollment may be cancelled in the portal."""
    drop_enrollments: bool = False
    """A current enrollment may be dropped in the portal."""
    transfer_enrollments: bool = False
    """A current enrollment may be moved to another class in the portal."""
    attendance: bool = False
    """Attendance is shown."""
    makeup_tokens: bool = False
    """Makeup tokens are shown and may be used to book a makeup."""
    makeup_requests: bool = False
    """Makeups are requested without tokens (only when tokens are off)."""
    future_absences: bool = False
    """Future absences are shown, created and cancelled."""
    qr_codes: bool = False
    """Each student's check-in QR code is shown and may be regenerated."""
    punch_passes: bool = False
    """Punch passes are shown."""
    redeem_punches: bool = False
    """A punch may be redeemed from a pass in the portal."""
    # Stored payment methods (each off where no payment gateway is configured):
    save_payment_methods: bool = False
    """The caller may see, add and change their own stored payment methods."""
    max_payment_methods: int = 0
    """How many stored payment methods the caller may keep."""
    delete_payment_methods: bool = False
    """The caller may delete one of their stored payment methods."""
    recurring_authorization: bool = False
    """The caller may turn a method's recurring-billing authorization on and off."""
    recurring_required: bool = False
    """Every saved method is authorized for recurring billing (no toggle, no delete)."""
    bank_accounts: bool = False
    """A bank account may be saved (eChecks)."""
    grant_payment_permission: bool = False
    """The caller (the primary guardian) may let a secondary guardian make payments."""
    manage_guardian_logins: bool = False
    """The caller (the primary guardian) may invite a secondary guardian to sign in, revoke
    that, and send them a password reset."""
    # Transaction History's reports:
    statements: bool = False
    """Generate Statement for This Location: its outstanding charges as of today."""
    ledgers: bool = False
    """Generate Ledger for This Location: its entries of a period with the running balance."""
    full_ledger_history: bool = False
    """The ledger's period may be chosen; otherwise it is the last 30 days."""

    @property
    def makeups(self) -> bool:
        """Makeups show at all: by tokens, or by request."""
        return self.makeup_tokens or self.makeup_requests

    @property
    def edits_contacts(self) -> bool:
        """The caller may add any contact at all."""
        return bool(self.edit_contacts_of) or self.edit_unassigned_contacts

    def may_edit_contacts_of(self, guardian_id: int | None) -> bool:
        """The caller may change a contact linked to `guardian_id` (None: to nobody)."""
        if guardian_id is None:
            return self.edit_unassigned_contacts
        return guardian_id in self.edit_contacts_of


class FamilyOut(WireModel):
    """The open family: every family-scoped request names its id."""

    id: Id
    name: str
    capabilities: Capabilities
    version: Version
