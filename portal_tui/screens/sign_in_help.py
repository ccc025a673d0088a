"""The sign-in screen's forms for an emailed code: Accept Invitation (a password, and that the
invitee is an adult), Forgot Password (a code by email) and Reset Password (a new password
with the code). Each that sets a password returns the email and password to sign in with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from textual.app import ComposeResult
from textual.widgets import Input

from portal_tui.api.account_recovery import AccountRecoveryApi
from portal_tui.screens.new_password import NewPasswordForm
from portal_tui.widgets.form import FormField, FormScreen, line_input
from portal_tui.widgets.tick_box import TickBox
from portal_tui.wire.checks import normalize_email
from portal_tui.wire.invitations import (
    InvitationAccept,
    ResetComplete,
    ResetRequest,
    ResetRequested,
)

T = TypeVar("T")


class Recovery(Protocol):
    """Runs one call on the portal the sign-in screen names (its Server URL), closing the
    connection after it."""

    async def __call__(self, call: Callable[[AccountRecoveryApi], Awaitable[T]]) -> T: ...


ADULT = "Confirm that you are 18 or older."


@dataclass(frozen=True)
class NewSignIn:
    """The email and the password just set: what the sign-in screen signs in with."""

    email: str
    password: str


def _pasted(code: str) -> None:
    if not code.strip():
        raise ValueError("Paste the code from the email.")


def _code_field(label: str) -> FormField:
    code = line_input(check=_pasted, placeholder="paste the code from the email", id="code")
    return FormField(label, code, name="code")


class AcceptInvitationForm(NewPasswordForm[InvitationAccept, NewSignIn]):
    """The invitation code, the invitee's new password, and that they are an adult."""

    NEW = "password"

    def __init__(self, recovery: Recovery) -> None:
        super().__init__("Accept Invitation", submit_label="Accept Invitation")
        self.recovery = recovery

    def compose_fields(self) -> ComposeResult:
        yield _code_field("Invitation code")
        yield from self.new_password_fields("Your password")
        adult = TickBox("I am 18 or older", id="adult", compact=True)
        yield FormField("", adult, name="adult")

    def local_errors(self) -> dict[str, str]:
        errors = super().local_errors()
        if not self.query_one("#adult", TickBox).value:
            errors["adult"] = ADULT
        return errors

    def build_request(self) -> InvitationAccept:
        adult = self.query_one("#adult", TickBox).value
        return InvitationAccept.model_validate({**self.values("code", "password"), "adult": adult})

    async def save(self, request: InvitationAccept) -> NewSignIn:
        accepted = await self.recovery(lambda api: api.accept_invitation(request))
        return NewSignIn(accepted.email, request.password.get_secret_value())


class ForgotPasswordForm(FormScreen[ResetRequest, ResetRequested]):
    """The email to send a reset code to; the portal answers the same for any email."""

    def __init__(self, recovery: Recovery, email: str) -> None:
        super().__init__("Forgot Password", submit_label="Send Reset Code")
        self.recovery = recovery
        self.email = email

    def compose_fields(self) -> ComposeResult:
        placeholder = "you@example.com"
        email = line_input(self.email, check=normalize_email, placeholder=placeholder, id="email")
        yield FormField("Email you sign in with", email, name="email")

    def on_mount(self) -> None:
        self.say("A code to choose a new password is emailed to this address.")

    def build_request(self) -> ResetRequest:
        return ResetRequest(email=self.query_one("#email", Input).value.strip())

    async def save(self, request: ResetRequest) -> ResetRequested:
        return await self.recovery(lambda api: api.request_reset(request))


class ResetPasswordForm(NewPasswordForm[ResetComplete, NewSignIn]):
    """The reset code from the email, and the new password."""

    def __init__(self, recovery: Recovery, note: str = "") -> None:
        super().__init__("Reset Password", submit_label="Reset Password")
        self.recovery = recovery
        self.note = note

    def compose_fields(self) -> ComposeResult:
        yield _code_field("Reset code")
        yield from self.new_password_fields()

    def on_mount(self) -> None:
        if self.note:
            self.say(self.note)

    def build_request(self) -> ResetComplete:
        return ResetComplete.model_validate(self.values("code", "new_password"))

    async def save(self, request: ResetComplete) -> NewSignIn:
        done = await self.recovery(lambda api: api.complete_reset(request))
        return NewSignIn(done.email, request.new_password.get_secret_value())
