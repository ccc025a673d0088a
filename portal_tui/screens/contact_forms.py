"""The forms that add, change and delete a mailing address, an email or a phone."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from portal_tui.api.family import FamilyApi
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.safe import plain, safe, safe_text
from portal_tui.wire.account import AddressOut, EmailOut, GuardianOut, PhoneLabel, PhoneOut
from portal_tui.wire.checks import national_phone, normalize_email, normalize_phone
from portal_tui.wire.common import Resource
from portal_tui.wire.contacts import ADDRESSES, EMAILS, PHONES, ContactOut
from portal_tui.wire.family import Capabilities

UNASSIGNED = 0
"""The guardian choice that links a contact to nobody."""

ContactT = TypeVar("ContactT", AddressOut, EmailOut, PhoneOut)


class NoOneToLink(Exception):
    """The caller may not link a contact to anyone (nothing to offer in "Linked to")."""


def describe(record: ContactOut) -> str:
    """A contact in one line, as the lists and the confirmation show it (safe text)."""
    if isinstance(record, AddressOut):
        parts = [record.line1, record.line2, record.city, record.region, record.postal_code]
        return plain(", ".join(p for p in parts if p))
    if isinstance(record, EmailOut):
        return plain(record.address)
    return plain(f"{national_phone(record.number)} ({record.label.value})")


class ContactForm(FormScreen[BaseModel, ContactOut], Generic[ContactT]):
    """Add (no record) or edit one contact; the guardian choice reassigns it."""

    RESOURCE: ClassVar[Resource[Any]]

    def __init__(
        self,
        api: FamilyApi,
        capabilities: Capabilities,
        guardians: list[GuardianOut],
        record: ContactT | None = None,
        *,
        default_owner: int | None = None,
    ) -> None:
        self.api = api
        self.default_owner = default_owner
        """Who a new contact is linked to at first (the signed-in guardian)."""
        self.record: ContactT | None = record
        self.version = record.version if record else None
        """The version this edit replaces; a conflict moves it to the current one."""
        self.owners: list[tuple[Text | str, int]] = [
            (safe_text(g.full_name), g.id)
            for g in guardians
            if capabilities.may_edit_contacts_of(g.id)
        ]
        if capabilities.edit_unassigned_contacts:
            self.owners.append(("Unassigned", UNASSIGNED))
        if not self.owners:
            raise NoOneToLink("You may not change contact details here.")
        verb = "Edit" if record else "Add"
        super().__init__(
            f"{verb} {self.RESOURCE.noun}",
            delete_label=self.deletable_as(record) if record else None,
        )

    def deletable_as(self, record: ContactT) -> str | None:
        """How the delete question names `record`; None when it cannot be deleted here."""
        return f"the {self.RESOURCE.noun.lower()} {describe(record)}"

    def compose_fields(self) -> ComposeResult:
        yield Static("", markup=False, id="form-current", classes="hidden")
        yield from self.compose_own_fields()
        owner = self.record.guardian_id if self.record else self.default_owner
        choice = UNASSIGNED if owner is None else owner
        values = {value for _, value in self.owners}
        yield FormField(
            "Linked to",
            Choice(
                self.owners,
                value=choice if choice in values else self.owners[0][1],
                allow_blank=False,
                compact=True,
                disabled=self.locked_owner(),
            ),
            name="guardian_id",
        )

    def compose_own_fields(self) -> ComposeResult:
        raise NotImplementedError

    def own_values(self) -> dict[str, Any]:
        raise NotImplementedError

    def locked_owner(self) -> bool:
        """True when this record stays with its guardian (the sign-in email)."""
        return False

    def input(self, name: str) -> Input:
        control = self.fields()[name].control
        assert isinstance(control, Input)
        return control

    def opted_out(self) -> bool:
        control = self.fields()["opted_out"].control
        assert isinstance(control, Choice)
        return control.value is True

    def build_request(self) -> BaseModel:
        owner = self.fields()["guardian_id"].control
        assert isinstance(owner, Choice)
        guardian_id = None if owner.value in (UNASSIGNED, Choice.BLANK) else owner.value
        values = {**self.own_values(), "guardian_id": guardian_id}
        if self.record is None:
            return self.RESOURCE.fields.model_validate(values)
        return self.RESOURCE.update.model_validate({**values, "version": self.version})

    async def save(self, request: BaseModel) -> ContactOut:
        saved: ContactOut
        if self.record is None:
            saved = await self.api.create(self.RESOURCE, request)
        else:
            saved = await self.api.update(self.RESOURCE, self.record.id, request)
        return saved

    async def delete(self) -> None:
        assert self.record is not None and self.version is not None
        await self.api.delete(self.RESOURCE, self.record.id, self.version)

    def show_current(self, current: Any) -> None:
        if not isinstance(current, self.RESOURCE.out):
            return  # the server could not say; the next Save tells again
        self.version = current.version
        owner = next((name for name, gid in self.owners if gid == current.guardian_id), None)
        linked = f" · linked to {owner}" if owner else ""
        line = self.query_one("#form-current", Static)
        line.update(safe(f"Saved meanwhile: {describe(current)}{linked}"))
        line.remove_class("hidden")


def _subscription(opted_out: bool) -> Choice[bool]:
    """Opted in or out, said in words (a checkbox's state shows only in colour)."""
    choices = [("Subscribed", False), ("Unsubscribed", True)]
    return Choice(choices, value=opted_out, allow_blank=False, compact=True)


class AddressForm(ContactForm[AddressOut]):
    RESOURCE = ADDRESSES

    def compose_own_fields(self) -> ComposeResult:
        r = self.record
        yield FormField("Street", line_input(r.line1 if r else ""), name="line1")
        yield FormField(
            "Apartment, suite (optional)", line_input(r.line2 if r else ""), name="line2"
        )
        yield FormField("City", line_input(r.city if r else ""), name="city")
        yield FormField("State or region", line_input(r.region if r else ""), name="region")
        yield FormField("Postal code", line_input(r.postal_code if r else ""), name="postal_code")

    def own_values(self) -> dict[str, Any]:
        names = ("line1", "line2", "city", "region", "postal_code")
        return {name: self.input(name).value for name in names}


class EmailForm(ContactForm[EmailOut]):
    RESOURCE = EMAILS

    def deletable_as(self, record: EmailOut) -> str | None:
        return None if record.is_login else super().deletable_as(record)

    def locked_owner(self) -> bool:
        return bool(self.record and self.record.is_login)

    def compose_own_fields(self) -> ComposeResult:
        r = self.record
        address = line_input(
            r.address if r else "", placeholder="name@example.com", check=normalize_email
        )
        address.disabled = self.locked_owner()
        yield FormField("Email address", address, name="address")
        if self.locked_owner():
            yield Static("This is the email used to sign in.", classes="muted")
        yield FormField(
            "Email Blasts", _subscription(r.opted_out if r else False), name="opted_out"
        )

    def own_values(self) -> dict[str, Any]:
        return {"address": self.input("address").value, "opted_out": self.opted_out()}


class PhoneForm(ContactForm[PhoneOut]):
    RESOURCE = PHONES

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        self.phone_region = region
        """Where a number given without a country code is read."""
        super().__init__(*args, **kwargs)

    def compose_own_fields(self) -> ComposeResult:
        r = self.record
        number = line_input(
            national_phone(r.number) if r else "",
            placeholder="(312) 555-0148",
            check=partial(normalize_phone, region=self.phone_region),
        )
        yield FormField("Phone number", number, name="number")
        labels = [(label.value.title(), label) for label in PhoneLabel]
        kind = Choice(
            labels, value=r.label if r else PhoneLabel.MOBILE, allow_blank=False, compact=True
        )
        yield FormField("Type", kind, name="label")
        opted_out = _subscription(r.opted_out if r else False)
        yield FormField("SMS/Text Messages", opted_out, name="opted_out")

    def own_values(self) -> dict[str, Any]:
        label = self.fields()["label"].control
        assert isinstance(label, Choice)
        return {
            "number": self.input("number").value,
            "label": label.value,
            "opted_out": self.opted_out(),
        }
