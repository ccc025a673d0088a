"""Account Info tab (A1, A5): guardians with their contacts, and the Unassigned column."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from portal_tui.screens.tab import AccountTab
from portal_tui.wire.account import Contacts, GuardianOut, GuardiansOut, LoginAccess

ACCESS_LABELS = {
    LoginAccess.NONE: "No login",
    LoginAccess.CAN_LOG_IN: "Can Log In",
    LoginAccess.INVITE_SENT: "Invite Sent",
    LoginAccess.INVITE_REVOKED: "Invite Revoked",
}


def _text(value: str, classes: str = "") -> Static:
    """A Static for text from the server: never parsed as markup."""
    return Static(value, markup=False, classes=classes)


def _contact(value: str, *, opted_out: bool) -> Widget:
    if not opted_out:
        return _text(value)
    return Horizontal(_text(value), Static("Unsubscribed", classes="unsubscribed"), classes="row")


def _contact_widgets(contacts: Contacts | None) -> list[Widget]:
    if contacts is None:
        return [_text("Contact details are kept by this guardian.", "muted")]
    widgets: list[Widget] = []
    for address in contacts.addresses:
        parts = [address.line1, address.line2, address.city, address.region, address.postal_code]
        widgets.append(_text(", ".join(p for p in parts if p)))
    for email in contacts.emails:
        value = f"{email.address} (login)" if email.is_login else email.address
        widgets.append(_contact(value, opted_out=email.opted_out))
    for phone in contacts.phones:
        widgets.append(_contact(f"{phone.number} ({phone.label})", opted_out=phone.opted_out))
    return widgets or [_text("No contact details.", "muted")]


def _guardian_column(guardian: GuardianOut) -> Vertical:
    role = "Primary guardian" if guardian.is_primary else "Guardian"
    access = ACCESS_LABELS[guardian.login_access]
    return Vertical(
        _text(f"{guardian.first_name} {guardian.last_name}", "guardian-name"),
        _text(f"{role} · {access}", "muted"),
        *_contact_widgets(guardian.contacts),
        classes="guardian",
    )


class AccountInfoTab(AccountTab):
    """One column per guardian and one for contacts linked to nobody (stacked when narrow)."""

    TAB_ID = "account-info"
    TITLE = "Account Info"
    DESCRIPTION = "Guardians and their contacts"

    NARROW = 100

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    async def fetch(self) -> None:
        await self.show_guardians(await self.portal.client.guardians())

    async def show_guardians(self, data: GuardiansOut) -> None:
        await self.remove_children()
        columns = [_guardian_column(g) for g in data.guardians]
        columns.append(
            Vertical(
                _text("Unassigned", "guardian-name"),
                _text("Linked to no guardian", "muted"),
                *_contact_widgets(data.unassigned),
                classes="guardian",
                id="unassigned",
            )
        )
        await self.mount(Vertical(*columns, id="guardian-columns"))
