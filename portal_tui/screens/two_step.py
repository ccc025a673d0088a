"""Two-step verification from the Security tab: turning it on (a new key shown as a QR code
and as text, then the app's first code), the recovery codes shown that once, and turning it
off (the password and a code, after a confirmation).

The QR code of an otpauth:// URI is about 27 rows high (version 7, 53 modules with its quiet
zone, two modules a row), so at 80×24 it cannot show whole: the form scrolls, and the key as
text and the code field come first.
"""

from __future__ import annotations

import re
from typing import TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.validation import Length
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from portal_tui.api.two_step import TwoStepApi
from portal_tui.messages import SessionEnded
from portal_tui.widgets.confirm import Dialog
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.form import FormField, FormScreen, LibraryCheck
from portal_tui.widgets.qr_code import QRCode
from portal_tui.widgets.safe import PlainInput, plain, safe
from portal_tui.wire.two_step import PasswordAndCode, RecoveryCodes, TwoStepCode, TwoStepSetup

TURN_ON = "Turn On Two-Step Verification"
TURN_OFF = "Turn Off Two-Step Verification"
NEW_CODES = "New Recovery Codes"

ResultT = TypeVar("ResultT")
SETUP = "two-step-setup"
"""The worker group that gets the new key."""
FORM_FRAME = 7
"""Rows of the form that are not its fields: border, title, message, buttons, key bar."""
QR_ERROR_CORRECTION = "L"
"""The lowest level keeps the code smallest; a screen is not a scuffed sticker."""


def grouped(secret: str, size: int = 4) -> str:
    """The key in groups of `size` characters, for typing into an app."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def _six_digits(typed: str) -> None:
    if not re.fullmatch(r"[0-9]{6}", "".join(typed.split())):
        raise ValueError("Enter the 6 digits the app shows.")


class TurnOnTwoStepForm(FormScreen[TwoStepCode, RecoveryCodes]):
    """Gets a new key when it opens and shows it; returns the recovery codes once the app's
    first code turned two-step verification on."""

    CSS_PATH = "two_step.tcss"
    AUTO_FOCUS = "#code"

    def __init__(self, api: TwoStepApi) -> None:
        super().__init__(TURN_ON, submit_label="Turn On")
        self.api = api
        self.setup: TwoStepSetup | None = None
        """The new key, once the portal gave it."""

    def compose_fields(self) -> ComposeResult:
        yield Static(
            "Type this key into your authenticator app, or scan the QR code below with it. "
            "Then enter the 6-digit code the app shows.",
            id="two-step-intro",
        )
        yield Static("", id="two-step-key")
        code = PlainInput(
            placeholder="123456",
            id="code",
            compact=True,
            validators=[LibraryCheck(_six_digits)],
            validate_on=[],
        )
        yield FormField("Code from the app", code, name="code")
        yield Vertical(id="two-step-qr")

    def on_mount(self) -> None:
        self.get_key()

    def on_resize(self, event: events.Resize) -> None:
        """The fields scroll within what the terminal leaves beside the form's title, message
        and buttons, so those stay in view however tall the QR code is."""
        fields = self.query_one("#form-fields")
        fields.styles.max_height = max(3, event.size.height - FORM_FRAME)

    def get_key(self) -> None:
        """Ask the portal for a new key, in a worker; it shows once it comes."""
        self.busy = True
        self.say("Getting a new key…")
        self.run_worker(self._get_key(), group=SETUP, exclusive=True, exit_on_error=False)

    async def _get_key(self) -> None:
        setup = await self.api.start()
        self.setup = setup
        box = self.query_one("#two-step-qr", Vertical)
        await box.remove_children()
        await box.mount(QRCode(setup.uri, error=QR_ERROR_CORRECTION, id="two-step-qr-code"))
        self.query_one("#two-step-key", Static).update(safe(f"Key  {grouped(setup.secret)}"))
        self.busy = False
        self.say("")
        self.query_one("#code", Input).focus()

    def build_request(self) -> TwoStepCode:
        code = "".join(self.query_one("#code", Input).value.split())
        return TwoStepCode.model_validate({"code": code})

    def local_errors(self) -> dict[str, str]:
        if self.setup is None:
            return {"code": "Wait for the key, or Cancel and try again."}
        return super().local_errors()

    async def save(self, request: TwoStepCode) -> RecoveryCodes:
        return await self.api.confirm(request.code)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A key that could not be got is said in the form, as the failure policy reads it;
        a save's failure is the form's own."""
        if event.worker.group != SETUP:
            super().on_worker_state_changed(event)
            return
        if event.state is not WorkerState.ERROR:
            return
        self.busy = False
        failure = explain(event.worker.error)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.say(failure.message, error=True)
            self.post_message(SessionEnded(resume=self.get_key))
        elif failure.remedy is Remedy.RETRY:
            self.say(f"{failure.message} Cancel, then try again.", error=True)
        else:
            self.changed_elsewhere = True  # already on, or not allowed: the tab reads again
            self.say(failure.message, error=True)


class ProofForm(FormScreen[PasswordAndCode, ResultT]):
    """The password and a code from the app (or a recovery code): what turning two-step
    verification off, and new recovery codes, need."""

    CSS_PATH = "two_step.tcss"

    def compose_fields(self) -> ComposeResult:
        yield Static(
            "Enter your password and a code from your authenticator app (or a recovery code).",
            id="two-step-off-intro",
        )
        required = Length(minimum=1, failure_description="Enter your password.")
        password = Input(
            password=True, id="password", compact=True, validators=[required], validate_on=[]
        )
        yield FormField("Password", password, name="password")
        code = PlainInput(placeholder="123456", id="code", compact=True)
        yield FormField("Code from the app, or a recovery code", code, name="code")

    def build_request(self) -> PasswordAndCode:
        return PasswordAndCode.model_validate(
            {
                "password": self.query_one("#password", Input).value,
                "code": self.query_one("#code", Input).value.strip(),
            }
        )


class TurnOffTwoStepForm(ProofForm[bool]):
    """Asks before turning it off. Returns True once it is off."""

    def __init__(self, api: TwoStepApi, email: str) -> None:
        super().__init__(TURN_OFF, submit_label="Turn Off")
        self.api = api
        self.email = email

    def confirmation(self, request: PasswordAndCode) -> str:
        return (
            f"Turn off two-step verification for {self.email}? Signing in will need only "
            "your password, and your recovery codes will no longer work."
        )

    async def save(self, request: PasswordAndCode) -> bool:
        await self.api.turn_off(request)
        return True


class NewRecoveryCodesForm(ProofForm[RecoveryCodes]):
    """Returns the new recovery codes; the earlier ones stop working."""

    def __init__(self, api: TwoStepApi) -> None:
        super().__init__(NEW_CODES, submit_label=NEW_CODES)
        self.api = api

    def on_mount(self) -> None:
        self.say("Your recovery codes not yet used will stop working.")

    async def save(self, request: PasswordAndCode) -> RecoveryCodes:
        return await self.api.new_recovery_codes(request)


class RecoveryCodesScreen(Dialog[None]):
    """The recovery codes, shown this once; only its button closes it."""

    CSS_PATH = "two_step.tcss"
    AUTO_FOCUS = "#saved"

    def __init__(self, codes: RecoveryCodes, title: str = "Two-step verification is on") -> None:
        super().__init__()
        self.codes = codes.codes
        self.title_text = title

    def compose_body(self) -> ComposeResult:
        yield Static(self.title_text, id="recovery-title")
        yield Static(
            "Save these recovery codes now, somewhere safe and apart from this device: each "
            "signs you in once if you cannot use your authenticator app. They will not be "
            "shown again.",
            id="recovery-about",
        )
        half = (len(self.codes) + 1) // 2
        numbered = [f"{n:>2}. {plain(code)}" for n, code in enumerate(self.codes, start=1)]
        rows = [
            f"{left}    {right}".rstrip()
            for left, right in zip(numbered[:half], [*numbered[half:], ""][:half], strict=True)
        ]
        yield Static(Content("\n".join(rows)), id="recovery-codes")  # each code made plain

    def compose_buttons(self) -> ComposeResult:
        yield Button("I Have Saved Them", variant="primary", id="saved", compact=True)

    @on(Button.Pressed, "#saved")
    def saved(self) -> None:
        self.dismiss(None)
