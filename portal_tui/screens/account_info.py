"""Account Info tab (A1, A5): guardians with their contacts, and the Unassigned column."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from portal_tui.screens.tab import AccountTab
from portal_tui.wire.account import Contacts, GuardianOut, GuardiansOut, LoginAccess

ACCESS_LABELS = {
    LoginAccess.NONE: "No login",
    LoginAccess.CAN_LOG_IN: "Can Log In",
    LoginAccess.INVITE_SENT: "Invite Sent",
    LoginAccess.INVITE_REVOKED: "Invite Revoked",
}
UNSUBSCRIBED = Content.from_markup(" [red italic]Unsubscribed[/]")


def _contact_lines(contacts: Contacts) -> list[Content]:
    lines: list[Content] = []
    for address in contacts.addresses:
        parts = [address.line1, address.line2, address.city, address.region, address.postal_code]
        lines.append(Content(", ".join(p for p in parts if p)))
    for email in contacts.emails:
        line = Content(email.address)
        if email.is_login:
            line += Content(" (login)")
        lines.append(line + UNSUBSCRIBED if email.opted_out else line)
    for phone in contacts.phones:
        line = Content(f"{phone.number} ({phone.label})")
        lines.append(line + UNSUBSCRIBED if phone.opted_out else line)
    return lines or [Content("No contact details.")]


def _guardian_column(guardian: GuardianOut) -> Vertical:
    role = "Primary guardian" if guardian.is_primary else "Guardian"
    access = ACCESS_LABELS[guardian.login_access]
    return Vertical(
        Static(f"{guardian.first_name} {guardian.last_name}", classes="guardian-name"),
        Static(f"{role} · {access}", classes="muted"),
        *(Static(line) for line in _contact_lines(guardian.contacts)),
        classes="guardian",
    )


class AccountInfoTab(AccountTab):
    """One column per guardian and one for contacts linked to nobody (stacked when narrow)."""

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
                Static("Unassigned", classes="guardian-name"),
                Static("Linked to no guardian", classes="muted"),
                *(Static(line) for line in _contact_lines(data.unassigned)),
                classes="guardian",
                id="unassigned",
            )
        )
        await self.mount(Vertical(*columns, id="guardian-columns"))
