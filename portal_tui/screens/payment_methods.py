"""Stored payment methods (in the Payments tab): the caller's own methods with their type, last
four, expiry, default and recurring-billing indicators; "Add Payment Method", "Edit Payment
Method", "Delete Payment Method"; and, for the primary guardian, "Allow Payments" /
"Withdraw Payment Permission" for each secondary guardian who signs in.

A guardian sees and manages only their own methods; the server enforces the same.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterator
from functools import partial
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.screens.payment_method_form import PaymentMethodForm, describe
from portal_tui.screens.payment_permission import (
    action_label,
    change_permission,
    grantable,
    status,
)
from portal_tui.screens.tab import AccountTab, LazyView
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.failures import Remedy
from portal_tui.widgets.form import Deleted
from portal_tui.widgets.safe import safe, safe_text
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.family import Capabilities
from portal_tui.wire.payment_methods import KIND_LABELS, PaymentMethodOut

ACTIONS = "payment-method-action"
"""The worker group of this panel's writes."""
BUSY = "A change is still under way: wait for its answer, then try again."

ADD, EDIT, DELETE = "Add Payment Method", "Edit Payment Method", "Delete Payment Method"


class PaymentMethodsPanel(LazyView):
    """The caller's stored methods, loaded when the Payments tab first shows."""

    SHOWS_GUARDIANS = True

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("a", "add_method", ADD, id="method-add"),
        Binding("e", "edit_method", "Edit Method", id="method-edit"),
        Binding("delete", "delete_method", "Delete Method", id="method-delete"),
    ]

    methods: list[PaymentMethodOut] = []
    writing = False
    """A write was sent and its answer is awaited (another is refused meanwhile)."""
    guardians: list[GuardianOut] = []
    """The secondary guardians the primary may let pay (empty for anyone else)."""

    @staticmethod
    def enabled(capabilities: Capabilities) -> bool:
        return capabilities.save_payment_methods

    @property
    def capabilities(self) -> Capabilities:
        return self.family.capabilities

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_method":
            return self.capabilities.delete_payment_methods
        return True

    # Showing

    async def fetch(self) -> None:
        """Read and show the methods; the highlighted one stays highlighted if it is still
        there (a reload after a change does not send the cursor back to the top)."""
        kept = self.highlighted()
        api = self.family.api
        self.methods = await api.payment_methods.list()
        if self.capabilities.grant_payment_permission:
            self.guardians = [g for g in (await api.guardians()).guardians if grantable(g)]
        await self.remove_children()
        buttons = [Button(ADD, id="method-add-button", compact=True)]
        if self.methods:
            buttons.append(Button(EDIT, id="method-edit-button", compact=True))
            if self.capabilities.delete_payment_methods:
                buttons.append(Button(DELETE, id="method-delete-button", compact=True))
        widgets: list[Widget] = [
            Static("Payment Methods", id="methods-title"),
            Horizontal(*buttons, id="method-actions"),
            ActionMessage(id="methods-message", keep="payment-methods"),
            self._table() if self.methods else Static("No saved payment methods.", classes="muted"),
        ]
        widgets += [
            Horizontal(
                Static(safe(status(g))),
                Button(action_label(g), id=f"permission-{g.id}", compact=True),
                classes="permission",
            )
            for g in self.guardians
        ]
        await self.mount_all(widgets)
        if kept is not None and any(m.id == kept.id for m in self.methods):
            table = self.query_one("#methods-table", DataTable)
            table.move_cursor(row=table.get_row_index(str(kept.id)), animate=False)

    def _table(self) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(cursor_type="row", id="methods-table")
        table.add_columns("Type", "Method", "Expires", "Default", "Recurring")
        for m in self.methods:
            expires = f"{m.exp_month:02d}/{m.exp_year}" if m.exp_month and m.exp_year else "—"
            table.add_row(
                safe_text(KIND_LABELS[m.kind]),
                safe_text(f"{m.brand} ••{m.last4}"),
                safe_text(expires),
                safe_text("Default" if m.is_default else ""),
                safe_text("Authorized" if m.recurring_authorized else "No"),
                key=str(m.id),
            )
        return table

    @property
    def message(self) -> ActionMessage:
        shown = next(self.query("#methods-message").results(ActionMessage), None)
        return shown or ActionMessage()

    def highlighted(self) -> PaymentMethodOut | None:
        table = next(self.query("#methods-table").results(DataTable), None)
        if table is None or not self.methods:
            return None
        return self.methods[min(table.cursor_row, len(self.methods) - 1)]

    # Add, Edit

    @on(Button.Pressed, "#method-add-button")
    def action_add_method(self) -> None:
        """Open the form, unless the caller already keeps as many methods as allowed (the
        server refuses a method too many; nobody should type a card number to learn that)."""
        most = self.capabilities.max_payment_methods
        if len(self.methods) >= most:
            remedy = (
                "Delete one before adding another."
                if self.capabilities.delete_payment_methods
                else "Ask the business to remove one before adding another."
            )
            self.message.refused(f"You already have {most} saved payment methods. {remedy}")
            return
        self._open(None)

    @on(Button.Pressed, "#method-edit-button")
    def action_edit_method(self) -> None:
        method = self.highlighted()
        if method is None:
            self.message.refused("There is no saved payment method to edit.")
            return
        self._open(method)

    @on(DataTable.RowSelected, "#methods-table")
    def _row_chosen(self) -> None:
        self.action_edit_method()

    def _open(self, method: PaymentMethodOut | None) -> None:
        form = PaymentMethodForm(
            self.family.api.payment_methods,
            self.capabilities,
            method,
            zone=ZoneInfo(self.family.business.time_zone),
        )
        self.app.push_screen(form, partial(self._form_closed, form))

    def _form_closed(self, form: PaymentMethodForm, result: object) -> None:
        if isinstance(result, Deleted):
            self.message.done(f"Deleted {result.label}.")
        elif isinstance(result, PaymentMethodOut):
            self.message.done(f"Saved {describe(result)}.")
        if result is not None or form.changed_elsewhere:
            self.reload()

    # Delete

    @on(Button.Pressed, "#method-delete-button")
    def action_delete_method(self) -> None:
        if not self.capabilities.delete_payment_methods:
            return
        method = self.highlighted()
        if method is None:
            self.message.refused("There is no saved payment method to delete.")
            return
        question = f"Delete the payment method {describe(method)}?"
        confirm = ConfirmScreen(question, confirm="Delete")
        self.app.push_screen(confirm, partial(self._confirmed, method))

    def _confirmed(self, method: PaymentMethodOut, yes: bool | None) -> None:
        if yes:
            self._run(self._delete(method), f"Deleting {describe(method)}…")

    async def _delete(self, method: PaymentMethodOut) -> None:
        await self.family.api.payment_methods.delete(method)
        self.message.done(f"Deleted the payment method {describe(method)}.")
        self.reload()

    # Allow Payments, Withdraw Payment Permission

    @on(Button.Pressed, ".permission Button")
    def _permission_pressed(self, event: Button.Pressed) -> None:
        guardian_id = int((event.button.id or "0").removeprefix("permission-"))
        self.change_permission(guardian_id)

    def change_permission(self, guardian_id: int) -> None:
        guardian = next((g for g in self.guardians if g.id == guardian_id), None)
        if guardian is not None:
            name = guardian.full_name
            self._run(self._permission(guardian), f"{action_label(guardian)}: {name}…")

    async def _permission(self, guardian: GuardianOut) -> None:
        self.message.done(await change_permission(self, self.family, guardian))
        self.reload()

    # Palette

    def commands(self) -> Iterator[PaletteCommand]:
        """This panel's palette entries, by the labels users know."""
        yield PaletteCommand(ADD, "Save a card or bank account", partial(self._from_palette, "add"))
        yield PaletteCommand(
            EDIT, "Change the highlighted payment method", partial(self._from_palette, "edit")
        )
        if self.capabilities.delete_payment_methods:
            yield PaletteCommand(
                DELETE,
                "Delete the highlighted payment method",
                partial(self._from_palette, "delete"),
            )
        for g in self.guardians:
            yield PaletteCommand(
                f"{action_label(g)}: {g.full_name}",
                status(g),
                partial(self._from_palette, "permission", g.id),
            )

    def _from_palette(self, action: str, guardian_id: int = 0) -> None:
        """Bring the Payments tab to the front, then act once the methods are on screen."""
        for tab in self.ancestors:
            if isinstance(tab, AccountTab):
                tab.show_tab()
        if action == "permission":
            self.when_ready(partial(self.change_permission, guardian_id))
        else:
            self.when_ready(getattr(self, f"action_{action}_method"))

    # Failures of the writes here

    def _run(self, work: Coroutine[Any, Any, None], under_way: str) -> None:
        """Send one write at a time, saying what is under way. One already sent is never
        cancelled (its answer, and whether it happened, would be lost): while it runs,
        another is refused."""
        if self.writing:
            work.close()
            self.message.refused(BUSY)
            return
        self.writing = True
        self.message.done(under_way)
        self.run_worker(self._write(work), group=ACTIONS, exit_on_error=False)

    async def _write(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        finally:
            self.writing = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != ACTIONS or event.state is not WorkerState.ERROR:
            return
        event.prevent_default()
        event.stop()
        failure = self.message.failed(event.worker.error, resume=self.reload)
        if failure.remedy is Remedy.REVIEW_CURRENT:
            self.reload()  # shown as it is now, with the reason above it
