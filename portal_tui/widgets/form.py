"""The one form pattern: a modal that returns the saved value.

A form checks as the user types (each Input's validators, and the request's own wire model
before anything is sent), saves in one exclusive worker while showing that it is busy, puts
the server's per-field errors under their fields, and keeps every typed value whatever
happens. Failures read as `widgets.failures.explain` says; a form only decides where.
Deleting asks first, naming the thing to delete, as does a form whose save undoes something
(`confirmation`).

A form subclass gives its fields (`compose_fields`), builds its request from them
(`build_request`), and sends it (`save`, or `delete`). It may show a conflicting record as it
is now (`show_current`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from portal_tui.messages import SessionEnded
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.failures import Failure, Remedy, explain
from portal_tui.widgets.safe import PlainInput, safe

if TYPE_CHECKING:  # pydantic loads when a form first builds its request, not with the screen
    from pydantic import ValidationError

RequestT = TypeVar("RequestT")
ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class Deleted:
    """What a form returns when the user deleted its record."""

    label: str
    """The thing deleted, as the confirmation named it."""


class LibraryCheck(Validator):
    """An Input validator from a function that normalizes a value or raises ValueError."""

    def __init__(self, check: Callable[[str], object]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self.check(value)
        except ValueError as exc:
            return self.failure(str(exc))
        return self.success()


def line_input(
    value: str = "",
    *,
    check: Callable[[str], object] | None = None,
    placeholder: str = "",
    password: bool = False,
    digits: int = 0,
    id: str | None = None,
) -> PlainInput:
    """A form's one-line field. `check` (a function like those of wire/checks.py) speaks
    under it as the user types; `digits`: digits and spaces only, that many at most;
    `password` masks it (for a card's CVC; a password, which goes as typed, is a
    `new_password.secret_input`)."""
    return PlainInput(
        value,
        placeholder=placeholder,
        password=password,
        restrict=r"[0-9 ]*" if digits else None,
        max_length=digits,
        compact=True,
        validators=[LibraryCheck(check)] if check else None,
        validate_on=["changed", "submitted"],
        select_on_focus=False,
        id=id,
    )


class FormField(Vertical):
    """A label, the control, and the line under it where that field's errors show."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > .field-error { color: $text-error; height: auto; }
    FormField > .field-error.-empty { display: none; }
    """

    def __init__(self, label: str, control: Widget, *, name: str) -> None:
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self.label = label
        self.control = control

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield self.control
        yield Static("", markup=False, classes="field-error -empty")

    def show_error(self, message: str | None) -> None:
        line = self.query_one(".field-error", Static)
        line.update(safe(f"↳ {message}") if message else "")
        line.set_class(not message, "-empty")


class FormMessage(Static):
    """A form's one message line: what is under way, or (`-error`) what went wrong."""

    DEFAULT_CSS = """
    FormMessage { height: auto; }
    FormMessage.-error { color: $text-error; text-style: bold; }
    """


class FormBusy(LoadingIndicator):
    """Shown while a form's request is under way."""

    DEFAULT_CSS = "FormBusy { height: 1; }"


CHECK_FIELDS = "Check the fields marked ↳ above."


def model_errors(exc: ValidationError) -> dict[str, str]:
    """A request model's errors by field, in words for a person (never echoing the input)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "missing" or error.get("input") == "":
            text = "Required."
        else:
            text = str(error["msg"]).removeprefix("Value error, ")
        errors.setdefault(name, text)
    return errors


class FormParts:
    """What every form shares, modal or not (the sign-in screen is one too): its fields with
    their errors under them, checks as the user types, one message line and one busy state.

    A screen using it has a FormMessage and a FormBusy and puts its inputs in FormFields.
    """

    def fields(self: Any) -> dict[str, FormField]:
        return {f.field_name: f for f in self.query(FormField)}

    def say(self: Any, message: str, *, error: bool = False) -> None:
        """The form's one message line (outside text is made safe here)."""
        line = self.query_one(FormMessage)
        line.update(safe(message))
        line.set_class(error, "-error")

    def set_busy(self: Any, busy: bool) -> None:
        """Something is under way: the buttons are off and the busy line shows."""
        self.query_one(FormBusy).set_class(not busy, "hidden")
        for button in self.query(Button):
            button.disabled = busy

    def show_field_errors(self: Any, errors: dict[str, str]) -> None:
        """Each message under its field; the first bad field gets the focus."""
        fields = self.fields()
        for name, field in fields.items():
            field.show_error(errors.get(name))
        bad = [fields[name] for name in errors if name in fields]
        if bad:
            bad[0].control.focus()

    def refuse(self: Any, errors: dict[str, str], message: str = CHECK_FIELDS) -> None:
        """Errors under their fields, and `message` with any error no field of this form
        has (so nothing the server or the model said goes unshown)."""
        self.show_field_errors(errors)
        unplaced = [text for name, text in errors.items() if name not in self.fields()]
        self.say(" ".join([message, *unplaced]), error=True)

    def forget_refused_password(self: Any, failure: Failure) -> None:
        """A password the portal refused is cleared; the error under it stays until the user
        types again."""
        if failure.remedy is Remedy.FIX_INPUT and "password" in failure.fields:
            password = self.query_one("#password", Input)
            with password.prevent(Input.Changed):
                password.value = ""
            password.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """An Input's own validators speak under it as the user types; an Input without
        them drops its old error once the user changes it.

        (Named, not `@on`: Textual dispatches by name through a mixin, not decorators.)
        """
        field = next((a for a in event.input.ancestors if isinstance(a, FormField)), None)
        if field is None:
            return
        result = event.validation_result
        if result is None or result.is_valid:
            field.show_error(None)
        else:
            field.show_error("; ".join(result.failure_descriptions))

    def local_errors(self) -> dict[str, str]:
        """Problems the app can see before sending: each Input's validators."""
        errors: dict[str, str] = {}
        for name, field in self.fields().items():
            if isinstance(field.control, Input):
                result = field.control.validate(field.control.value)
                if result is not None and not result.is_valid:
                    errors[name] = "; ".join(result.failure_descriptions)
        return errors


class FormScreen(FormParts, ModalScreen[ResultT | Deleted | None], Generic[RequestT, ResultT]):
    """A modal form; dismisses with the saved value, `Deleted`, or None when cancelled.

    `changed_elsewhere` tells whoever opened it that the record turned out to have changed
    (or gone) meanwhile, so what they show should be read again even after a Cancel.
    """

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    FormScreen #form-title { text-style: bold; }
    FormScreen #form-fields { height: auto; max-height: 16; }
    FormScreen #form-buttons { height: auto; margin-top: 1; }
    FormScreen #form-buttons Button { margin-right: 1; }
    """
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    AUTO_FOCUS = "FormField > Input, FormField > Select"
    ANSWERS_CREDENTIALS: ClassVar[bool] = False
    """The form sends a password: a refusal means the password is wrong, not that the
    session ended (the failure policy reads it so)."""

    busy: reactive[bool] = reactive(False, init=False)
    """A save or delete is under way: buttons are off and the busy line shows."""

    def __init__(
        self, title: str, *, delete_label: str | None = None, submit_label: str = "Save"
    ) -> None:
        super().__init__()
        self.form_title = title
        self.delete_label = delete_label
        """Set for a form of an existing record that may be deleted: names it in the question."""
        self.submit_label = submit_label
        self.changed_elsewhere = False
        self._waiting: list[ResultT | Deleted] = []
        """A result to return once this form is on top again."""
        self._doing = submit_label

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(safe(self.form_title), id="form-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self.compose_fields()
            yield FormMessage()
            yield FormBusy(classes="hidden")
            with Horizontal(id="form-buttons"):
                yield Button(self.submit_label, variant="primary", id="save", compact=True)
                if self.delete_label is not None:
                    yield Button("Delete", variant="error", id="delete", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    # What a form gives

    def compose_fields(self) -> ComposeResult:
        """The form's `FormField`s."""
        raise NotImplementedError

    def build_request(self) -> RequestT:
        """The request from the fields' values; a pydantic ValidationError names bad fields."""
        raise NotImplementedError

    async def save(self, request: RequestT) -> ResultT:
        """Send the request; returns what the server saved."""
        raise NotImplementedError

    async def delete(self) -> None:
        """Delete the record this form edits."""
        raise NotImplementedError

    def confirmation(self, request: RequestT) -> str | None:
        """The question to ask before sending `request`, naming what it undoes (a form that
        turns something off); None sends it at once."""
        return None

    def show_current(self, current: Any) -> None:
        """Show a conflicting record as it is now (the typed values stay in the fields)."""

    # The pattern

    def watch_busy(self, busy: bool) -> None:
        self.set_busy(busy)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.busy:
            return
        errors = self.local_errors()
        request: RequestT | None = None
        if not errors:
            from pydantic import ValidationError

            try:
                request = self.build_request()
            except ValidationError as exc:
                errors = model_errors(exc)
        if errors or request is None:
            self.refuse(errors)
            return
        self.show_field_errors({})
        question = self.confirmation(request)
        if question is None:
            self._send(request)
            return
        ready = request

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._send(ready)

        self.app.push_screen(ConfirmScreen(question, confirm=self.submit_label), confirmed)

    def _send(self, request: RequestT) -> None:
        self._doing = self.submit_label
        self._run(self._save(request), "Saving…")

    async def _save(self, request: RequestT) -> None:
        self._finish(await self.save(request))

    @on(Button.Pressed, "#delete")
    def ask_delete(self) -> None:
        if self.busy or self.delete_label is None:
            return
        label = self.delete_label

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._doing = "Delete"
                self._run(self._delete(label), "Deleting…")

        self.app.push_screen(ConfirmScreen(f"Delete {label}?", confirm="Delete"), confirmed)

    async def _delete(self, label: str) -> None:
        await self.delete()
        self._finish(Deleted(label))

    def _finish(self, result: ResultT | Deleted) -> None:
        """Return `result`; if another screen opened over this form meanwhile (the palette,
        a dialog), wait until this one is on top again rather than close that one."""
        if self.is_active:
            self.dismiss(result)
        else:
            self._waiting.append(result)

    def on_screen_resume(self) -> None:
        if self._waiting and self.is_active:
            self.dismiss(self._waiting.pop())

    def _run(self, work: Awaitable[None], message: str) -> None:
        self.busy = True
        self.say(message)
        self.run_worker(work, group="form", exclusive=True, exit_on_error=False)

    def _signed_in_again(self) -> None:
        self.say(f"Signed in again. Your entries are kept: {self._doing} to carry on.")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "form" or event.state is not WorkerState.ERROR:
            return
        self.busy = False
        self.show_failure(explain(event.worker.error, signing_in=self.ANSWERS_CREDENTIALS))

    def show_failure(self, failure: Failure) -> None:
        """Show a failure in the form; every typed value stays where it is."""
        if failure.remedy is Remedy.FIX_INPUT:
            self.refuse(failure.fields, failure.message)
        elif failure.remedy is Remedy.REVIEW_CURRENT:
            self.changed_elsewhere = True
            if failure.current is None:
                way_on = "Cancel, then open it again to see it as it is now."
            else:
                self.show_current(failure.current)
                way_on = (
                    "It is shown above as it is now; your entries are kept. "
                    f"{self._doing} again to go ahead, or Cancel."
                )
            self.say(f"{failure.message} {way_on}", error=True)
        elif failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.say(f"{failure.message} Your entries are kept.", error=True)
            self.post_message(SessionEnded(resume=self._signed_in_again))
        elif failure.remedy is Remedy.RETRY:
            self.say(
                f"{failure.message} Your entries are kept: {self._doing} to try again.", error=True
            )
        else:
            self.changed_elsewhere = True  # gone, or no longer allowed: the list is out of date
            self.say(failure.message, error=True)
