"""The form that adds a guardian to the family or changes one's name and relation ("Add
Guardian", "Edit Guardian"), the heading of a guardian's column that opens it, and who of the
family's guardians it may edit."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from portal_tui.api.family import FamilyApi
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.safe import PlainInput, plain, safe
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.family import Capabilities
from portal_tui.wire.guardians import GUARDIANS, GuardianFields, GuardianUpdate

NEW_GUARDIAN_NOTE = "They sign in once you send them an invitation (Send Invite Email)."


def guardian_name(guardian: GuardianOut) -> str:
    """A guardian as the column and the forms name them: their name and their relation."""
    name = guardian.full_name
    return plain(f"{name} ({guardian.relation})" if guardian.relation else name)


def editable_guardians(
    guardians: list[GuardianOut], capabilities: Capabilities
) -> list[GuardianOut]:
    """The guardians whose name and relation the caller may change, as the server says."""
    return [g for g in guardians if g.id in capabilities.edit_guardians]


class GuardianHeading(Static):
    """A guardian's name and relation, heading their column; focusable (Enter edits them)
    when the caller may change them."""

    BINDINGS = [Binding("enter", "open", "Edit Guardian", id="guardian-edit")]

    class Chosen(Message):
        """The user asked to edit this guardian."""

        def __init__(self, heading: GuardianHeading) -> None:
            super().__init__()
            self.heading = heading

        @property
        def control(self) -> GuardianHeading:
            return self.heading

    def __init__(self, guardian: GuardianOut, *, editable: bool) -> None:
        super().__init__(safe(guardian_name(guardian)), classes="guardian-name")
        self.guardian = guardian
        self.can_focus = editable
        self.set_class(editable, "-editable")

    def action_open(self) -> None:
        self.post_message(self.Chosen(self))

    def on_click(self) -> None:
        if self.can_focus:
            self.action_open()


def heading_of(focused: Widget | None) -> GuardianHeading | None:
    """The heading of the guardian column that holds `focused` (None outside any)."""
    above = focused.ancestors_with_self if focused else []
    column = next((a for a in above if a.has_class("guardian")), None)
    return next(iter(column.query(GuardianHeading)), None) if column else None


class GuardianForm(FormScreen[GuardianFields, GuardianOut]):
    """Add a guardian (no record) or change one; the server checks every field again."""

    def __init__(self, api: FamilyApi, guardian: GuardianOut | None = None) -> None:
        self.api = api
        self.guardian = guardian
        self.version = guardian.version if guardian else None
        """The version this edit replaces; a conflict moves it to the current one."""
        title = f"Edit Guardian: {guardian.full_name}" if guardian else ""
        super().__init__(title or f"Add {GUARDIANS.noun}")

    def compose_fields(self) -> ComposeResult:
        g = self.guardian
        yield Static("", markup=False, id="form-current", classes="hidden")
        if g is None:
            yield Static(NEW_GUARDIAN_NOTE, markup=False, classes="muted")
        yield FormField("First name", line_input(g.first_name if g else ""), name="first_name")
        yield FormField("Last name", line_input(g.last_name if g else ""), name="last_name")
        relation = line_input(g.relation if g else "", placeholder="Mother, Grandparent…")
        yield FormField("Relation (optional)", relation, name="relation")

    def _values(self) -> dict[str, Any]:
        return {
            name: field.control.value
            for name, field in self.fields().items()
            if isinstance(field.control, PlainInput)
        }

    def build_request(self) -> GuardianFields:
        if self.guardian is None:
            return GuardianFields.model_validate(self._values())
        return GuardianUpdate.model_validate({**self._values(), "version": self.version})

    async def save(self, request: GuardianFields) -> GuardianOut:
        if self.guardian is None:
            return await self.api.create(GUARDIANS, request)
        return await self.api.update(GUARDIANS, self.guardian.id, request)

    def show_current(self, current: Any) -> None:
        if not isinstance(current, GuardianOut):
            return  # the server could not say; the next Save tells again
        self.version = current.version
        line = self.query_one("#form-current", Static)
        line.update(safe(f"Saved meanwhile: {guardian_name(current)}"))
        line.remove_class("hidden")
        line.scroll_visible()
