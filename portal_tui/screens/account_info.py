"""Account Info tab: guardians with their addresses, emails and phones, and the Unassigned ones.

Each contact the caller may change is focusable: Enter opens its form (edit, reassign,
delete); so is the name of each guardian whose name and relation they may change ("Edit
Guardian"). What the caller may change comes from the family's capabilities, so nothing they
cannot do is offered: no add buttons, keys or commands when editing is off, "Add Guardian"
only for whom the server allows it, and an accepted secondary guardian's details are shown to
nobody else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from portal_tui.api import errors
from portal_tui.commands import PaletteCommand
from portal_tui.messages import FamilyChanged, GuardiansChanged
from portal_tui.screens.contact_forms import (
    AddressForm,
    ContactForm,
    EmailForm,
    NoOneToLink,
    PhoneForm,
    describe,
)
from portal_tui.screens.guardian_access import GuardianAccessTab, indicator
from portal_tui.screens.guardian_form import (
    GuardianForm,
    GuardianHeading,
    editable_guardians,
    guardian_name,
    heading_of,
)
from portal_tui.screens.payment_permission import (
    action_label,
    change_permission,
    grantable,
    status,
)
from portal_tui.widgets.form import Deleted
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.widgets.safe import safe
from portal_tui.wire.account import (
    Contacts,
    EmailOut,
    GuardianOut,
    GuardiansOut,
    PhoneOut,
)
from portal_tui.wire.contacts import (
    ADDRESSES,
    CONTACT_RESOURCES,
    EMAILS,
    PHONES,
    ContactOut,
    resource_of,
)

PERMISSION = "payment-permission"
"""The worker group of Allow Payments / Withdraw Payment Permission."""


FORMS: dict[str, type[ContactForm[Any]]] = {
    form.RESOURCE.path: form for form in (AddressForm, EmailForm, PhoneForm)
}
"""The form of each kind of contact, by its resource's path."""


def _label(value: str, classes: str = "") -> Static:
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

    def __init__(self, record: ContactOut, *, editable: bool) -> None:
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


class AccountInfoTab(GuardianAccessTab):
    """One column per guardian and one for contacts linked to nobody (stacked when narrow)."""

    SHOWS_GUARDIANS = True

    TAB_ID = "account-info"
    TITLE = "Account Info"
    DESCRIPTION = "Guardians and their addresses, emails and phones"
    NARROW = 100
    BINDINGS = [
        Binding("m", f"add('{ADDRESSES.path}')", f"Add {ADDRESSES.noun}", id="add-address"),
        Binding("e", f"add('{EMAILS.path}')", f"Add {EMAILS.noun}", id="add-email"),
        Binding("p", f"add('{PHONES.path}')", f"Add {PHONES.noun}", id="add-phone"),
        Binding("g", "add_guardian", "Add Guardian", id="add-guardian"),
        Binding("n", "edit_guardian", "Edit Guardian", id="edit-guardian"),
    ]

    guardians: GuardiansOut | None = None
    """The guardians and contacts on screen (None until the first load)."""
    _adding: str | None = None
    """An add asked for before the guardians were loaded: opened once they are."""

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return self.family.capabilities.edits_contacts
        if action == "add_guardian":
            return self.family.capabilities.add_guardian
        if action == "edit_guardian":
            return bool(self.family.capabilities.edit_guardians)
        return True

    async def fetch(self) -> None:
        await self.show_guardians(await self.family.api.guardians())

    async def show_guardians(self, data: GuardiansOut) -> None:
        self.guardians = data
        await self.remove_children()
        widgets: list[Widget] = []
        can = self.family.capabilities
        actions: list[Widget] = []
        if can.edits_contacts:
            adds = [
                Button(f"Add {r.noun}", id=f"add-{r.path}", classes="add-contact", compact=True)
                for r in CONTACT_RESOURCES
            ]
            actions.append(Horizontal(*adds, id="contact-actions"))
        if can.add_guardian:
            actions.append(Button("Add Guardian", id="add-guardian", compact=True))
        if actions:
            widgets.append(Horizontal(*actions, id="account-actions"))
        columns = [self._guardian_column(g) for g in data.guardians]
        columns.append(
            Vertical(
                _label("Unassigned", "guardian-name"),
                _label("Linked to no guardian", "muted"),
                *self._contact_widgets(data.unassigned),
                classes="guardian",
                id="unassigned",
            )
        )
        widgets.append(Vertical(*columns, id="guardian-columns"))
        await self.mount_all(widgets)
        self.refresh_bindings()
        if self._adding is not None:
            kind, self._adding = self._adding, None
            self.action_add(kind)

    def show_error(self, message: str) -> None:
        """A failed load opens no form it was asked for (the user asks again)."""
        self._adding = None
        super().show_error(message)

    def _guardian_column(self, guardian: GuardianOut) -> Vertical:
        role = "Primary guardian" if guardian.is_primary else "Guardian"
        editable = guardian.id in self.family.capabilities.edit_guardians
        return Vertical(
            GuardianHeading(guardian, editable=editable),
            _label(f"{role} · {indicator(guardian)}", "muted"),
            *self.access_buttons(guardian),
            *self._permission_widgets(guardian),
            *self._contact_widgets(guardian.contacts),
            classes="guardian",
        )

    def _permission_widgets(self, guardian: GuardianOut) -> list[Widget]:
        """For the primary: whether a secondary who signs in may pay, and the way to change it."""
        if not grantable(guardian):
            return []
        button = Button(
            action_label(guardian),
            id=f"permission-{guardian.id}",
            classes="permission",
            compact=True,
        )
        return [_label(status(guardian), "muted"), button]

    @on(Button.Pressed, ".guardian .permission")
    def _permission_pressed(self, event: Button.Pressed) -> None:
        self.change_permission(int((event.button.id or "0").removeprefix("permission-")))

    def change_permission(self, guardian_id: int) -> None:
        """Allow Payments, or Withdraw Payment Permission, for a secondary guardian."""
        found = self.guardians.guardians if self.guardians else []
        guardian = next((g for g in found if g.id == guardian_id), None)
        busy = any(w.node is self and w.group == PERMISSION and w.is_running for w in self.workers)
        if guardian is not None and not busy:  # a second press waits for the first answer
            self.run_worker(self._permission(guardian), group=PERMISSION)

    async def _permission(self, guardian: GuardianOut) -> None:
        try:
            said = await change_permission(self, self.family, guardian)
        except errors.PortalError as error:
            self.action_failed(error, partial(self.change_permission, guardian.id))
        else:
            self.notify(said, markup=False)
            self.reload()

    def _contact_widgets(self, contacts: Contacts | None) -> list[Widget]:
        if contacts is None:
            return [_label("Contact details are kept by this guardian.", "muted")]
        may_edit = self.family.capabilities.may_edit_contacts_of
        records: list[ContactOut] = [*contacts.addresses, *contacts.emails, *contacts.phones]
        return [ContactItem(r, editable=may_edit(r.guardian_id)) for r in records] or [
            _label("No contact details.", "muted")
        ]

    def _form(self, kind: str, record: ContactOut | None = None) -> ContactForm[Any]:
        family = self.family
        guardians = self.guardians.guardians if self.guardians else []
        options: dict[str, Any] = {"default_owner": self.portal.user.guardian_id}
        if kind == PHONES.path:
            options["region"] = family.business.settings.phone_region
        form = FORMS[kind]
        return form(family.api, family.capabilities, guardians, record, **options)

    def _open(self, kind: str, record: ContactOut | None = None) -> None:
        try:
            form = self._form(kind, record)
        except NoOneToLink as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.app.push_screen(form, partial(self._form_closed, form))

    def _form_closed(self, form: ContactForm[Any], result: object) -> None:
        """Say what a form did, and show the list as it is now whenever it changed (also
        when the form found the record changed or gone meanwhile and was cancelled)."""
        if result is not None:
            message = f"Deleted {result.label}." if isinstance(result, Deleted) else "Saved."
            self.notify(message, markup=False)
        if result is not None or form.changed_elsewhere:
            self.reload()

    def action_add(self, kind: str) -> None:
        """Open the form that adds a contact of `kind` (once the guardians are known)."""
        if not self.family.capabilities.edits_contacts:
            return
        if self.guardians is None:  # not loaded yet: the load opens it
            self._adding = kind
            if self._loaded and not self.loading:  # an earlier load failed: try again
                self.reload()
            return
        self._open(kind)

    @on(Button.Pressed, "#contact-actions .add-contact")
    def _add_pressed(self, event: Button.Pressed) -> None:
        self.action_add((event.button.id or "").removeprefix("add-"))

    @on(ContactItem.Chosen)
    def _edit(self, event: ContactItem.Chosen) -> None:
        record = event.item.record
        self._open(resource_of(record).path, record)

    # Add Guardian, Edit Guardian

    def action_add_guardian(self) -> None:
        if self.family.capabilities.add_guardian:
            self._open_guardian(None)

    def action_edit_guardian(self) -> None:
        """Edit the guardian whose column has the focus, or the only one the caller may
        edit, or the one they pick."""
        found = self.guardians.guardians if self.guardians else []
        editable = editable_guardians(found, self.family.capabilities)
        heading = heading_of(self.screen.focused)
        if heading is not None and heading.guardian in editable:
            self._open_guardian(heading.guardian)
        elif len(editable) == 1:
            self._open_guardian(editable[0])
        elif editable:
            choices = [(g.id, guardian_name(g)) for g in editable]
            picker = PickScreen("Edit Guardian", choices, "Whose name and relation to change:")
            self.app.push_screen(picker, self._guardian_picked)

    def _guardian_picked(self, guardian_id: int | None) -> None:
        found = self.guardians.guardians if self.guardians else []
        picked = next((g for g in found if g.id == guardian_id), None)
        if picked is not None:
            self._open_guardian(picked)

    @on(Button.Pressed, "#add-guardian")
    def _add_guardian_pressed(self) -> None:
        self.action_add_guardian()

    @on(GuardianHeading.Chosen)
    def _edit_guardian(self, event: GuardianHeading.Chosen) -> None:
        self._open_guardian(event.heading.guardian)

    def _open_guardian(self, guardian: GuardianOut | None) -> None:
        form = GuardianForm(self.family.api, guardian)
        self.app.push_screen(form, partial(self._guardian_closed, form))

    def _guardian_closed(self, form: GuardianForm, result: object) -> None:
        """A guardian added or changed: the family is read again (what the caller may do
        there changes with who is in it), and other views showing guardians go stale."""
        if isinstance(result, GuardianOut):
            verb = "Saved" if form.guardian else "Added"
            self.notify(f"{verb} {guardian_name(result)}.", markup=False)
        if result is not None or form.changed_elsewhere:
            self.post_message(GuardiansChanged(self))
            self.post_message(FamilyChanged())

    def _guardian_from_palette(self, action: Callable[[], None]) -> None:
        self.show_tab()
        self.load_if_needed()
        self.when_ready(action)

    def palette_commands(self) -> Iterator[PaletteCommand]:
        can = self.family.capabilities
        if can.add_guardian:
            yield PaletteCommand(
                "Add Guardian",
                "Add a guardian to the family",
                partial(self._guardian_from_palette, self.action_add_guardian),
            )
        if can.edit_guardians:
            yield PaletteCommand(
                "Edit Guardian",
                "Change a guardian's name and relation",
                partial(self._guardian_from_palette, self.action_edit_guardian),
            )
        yield from self.access_commands()
        if self.guardians:
            for g in filter(grantable, self.guardians.guardians):
                yield PaletteCommand(
                    f"{action_label(g)}: {g.full_name}",
                    status(g),
                    partial(self._permission_from_palette, g.id),
                )
        if not self.family.capabilities.edits_contacts:
            return
        for resource in CONTACT_RESOURCES:
            yield PaletteCommand(
                f"Add {resource.noun}",
                f"Add a {resource.noun.lower()} to the account",
                partial(self._from_palette, resource.path),
            )

    def _from_palette(self, kind: str) -> None:
        self.show_tab()  # its first load, if any, opens the form when done
        self.action_add(kind)

    def _permission_from_palette(self, guardian_id: int) -> None:
        self.show_tab()
        self.change_permission(guardian_id)
