"""Account Info tab: guardians with their addresses, emails and phones, and the Unassigned ones.

Each contact the caller may change is focusable: Enter opens its form (edit, reassign,
delete). What the caller may change comes from the family's capabilities, so nothing they
cannot do is offered: no add buttons, keys or commands when editing is off, and an accepted
secondary guardian's details are shown to nobody else.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from portal_tui.commands import PaletteCommand
from portal_tui.screens.contact_forms import (
    AddressForm,
    ContactForm,
    EmailForm,
    PhoneForm,
    describe,
)
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.form import Deleted
from portal_tui.widgets.safe import safe
from portal_tui.wire.account import (
    AddressOut,
    Contacts,
    EmailOut,
    GuardianOut,
    GuardiansOut,
    LoginAccess,
    PhoneOut,
)

ACCESS_LABELS = {
    LoginAccess.NONE: "No login",
    LoginAccess.CAN_LOG_IN: "Can Log In",
    LoginAccess.INVITE_SENT: "Invite Sent",
    LoginAccess.INVITE_REVOKED: "Invite Revoked",
}

ADD_COMMANDS = (
    ("Add Mailing Address", "addresses", "Add a mailing address to the account"),
    ("Add Email", "emails", "Add an email address to the account"),
    ("Add Phone", "phones", "Add a phone number to the account"),
)
"""The add actions, by the labels the portal gives them."""

Record = AddressOut | EmailOut | PhoneOut


def _text(value: str, classes: str = "") -> Static:
    """Outside text, made safe and never read as markup."""
    return Static(safe(value), classes=classes)


class ContactItem(Horizontal):
    """One address, email or phone; focusable (Enter edits it) when the caller may change it."""

    BINDINGS = [Binding("enter", "open", "Edit", id="contact-edit")]

    class Chosen(Message):
        """The user asked to edit this contact."""

        def __init__(self, item: ContactItem) -> None:
            super().__init__()
            self.item = item

        @property
        def control(self) -> ContactItem:
            return self.item

    def __init__(self, record: Record, *, editable: bool) -> None:
        super().__init__(classes="contact")
        self.record = record
        self.can_focus = editable
        self.set_class(editable, "-editable")

    def compose(self) -> ComposeResult:
        label = describe(self.record)
        if isinstance(self.record, EmailOut) and self.record.is_login:
            label += " (login)"
        yield Static(safe(label), classes="value")
        if isinstance(self.record, EmailOut | PhoneOut) and self.record.opted_out:
            yield Static("Unsubscribed", classes="unsubscribed")

    def action_open(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self) -> None:
        if self.can_focus:
            self.action_open()


class AccountInfoTab(AccountTab):
    """One column per guardian and one for contacts linked to nobody (stacked when narrow)."""

    TAB_ID = "account-info"
    TITLE = "Account Info"
    DESCRIPTION = "Guardians and their addresses, emails and phones"
    NARROW = 100
    BINDINGS = [
        Binding("m", "add('addresses')", "Add Mailing Address", id="add-address"),
        Binding("e", "add('emails')", "Add Email", id="add-email"),
        Binding("p", "add('phones')", "Add Phone", id="add-phone"),
    ]

    guardians: GuardiansOut | None = None

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return self.family.capabilities.edits_contacts
        return True

    async def fetch(self) -> None:
        await self.show_guardians(await self.family.api.guardians())

    async def show_guardians(self, data: GuardiansOut) -> None:
        self.guardians = data
        await self.remove_children()
        widgets: list[Widget] = []
        if self.family.capabilities.edits_contacts:
            widgets.append(
                Horizontal(
                    *(
                        Button(label, id=f"add-{kind}", compact=True)
                        for label, kind, _ in ADD_COMMANDS
                    ),
                    id="contact-actions",
                )
            )
        columns = [self._guardian_column(g) for g in data.guardians]
        columns.append(
            Vertical(
                _text("Unassigned", "guardian-name"),
                _text("Linked to no guardian", "muted"),
                *self._contact_widgets(data.unassigned),
                classes="guardian",
                id="unassigned",
            )
        )
        widgets.append(Vertical(*columns, id="guardian-columns"))
        await self.mount_all(widgets)
        self.refresh_bindings()

    def _guardian_column(self, guardian: GuardianOut) -> Vertical:
        role = "Primary guardian" if guardian.is_primary else "Guardian"
        return Vertical(
            _text(f"{guardian.first_name} {guardian.last_name}", "guardian-name"),
            _text(f"{role} · {ACCESS_LABELS[guardian.login_access]}", "muted"),
            *self._contact_widgets(guardian.contacts),
            classes="guardian",
        )

    def _contact_widgets(self, contacts: Contacts | None) -> list[Widget]:
        if contacts is None:
            return [_text("Contact details are kept by this guardian.", "muted")]
        may_edit = self.family.capabilities.may_edit_contacts_of
        records: list[Record] = [*contacts.addresses, *contacts.emails, *contacts.phones]
        return [ContactItem(r, editable=may_edit(r.guardian_id)) for r in records] or [
            _text("No contact details.", "muted")
        ]

    def _form(self, kind: str, record: Record | None = None) -> ContactForm[Any]:
        family = self.family
        guardians = self.guardians.guardians if self.guardians else []
        args = (family.api, family.capabilities, guardians)
        me = self.portal.user.guardian_id
        if kind == "addresses":
            address = record if isinstance(record, AddressOut) else None
            return AddressForm(*args, address, default_owner=me)
        if kind == "emails":
            email = record if isinstance(record, EmailOut) else None
            return EmailForm(*args, email, default_owner=me)
        region = family.portal.business.settings.phone_region
        phone = record if isinstance(record, PhoneOut) else None
        return PhoneForm(*args, phone, default_owner=me, region=region)

    def _open(self, form: ContactForm[Any]) -> None:
        self.app.push_screen(form, self._form_closed)

    def _form_closed(self, result: object) -> None:
        """A form saved or deleted something: say so and show the list as it is now."""
        if result is None:
            return
        message = f"Deleted {result.label}." if isinstance(result, Deleted) else "Saved."
        self.notify(message, markup=False)
        self.reload()

    def action_add(self, kind: str) -> None:
        if self.family.capabilities.edits_contacts:
            self._open(self._form(kind))

    @on(Button.Pressed, "#contact-actions Button")
    def _add_pressed(self, event: Button.Pressed) -> None:
        self.action_add((event.button.id or "").removeprefix("add-"))

    @on(ContactItem.Chosen)
    def _edit(self, event: ContactItem.Chosen) -> None:
        record = event.item.record
        kind = {AddressOut: "addresses", EmailOut: "emails", PhoneOut: "phones"}[type(record)]
        self._open(self._form(kind, record))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        if not self.family.capabilities.edits_contacts:
            return
        for label, kind, help_text in ADD_COMMANDS:
            yield PaletteCommand(label, help_text, partial(self._from_palette, kind))

    def _from_palette(self, kind: str) -> None:
        self.show_tab()
        self.action_add(kind)
