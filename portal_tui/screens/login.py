"""The login screen: server URL, email, password — and, for an account with two-step
verification on, the authenticator app's code — or the demo portal starting up."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, WorkerState

from portal_tui import collector
from portal_tui.commands import PaletteCommand
from portal_tui.demo_server import DemoServer
from portal_tui.options import LaunchOptions
from portal_tui.signed_in import OpenFamily
from portal_tui.widgets.failures import CODE_LABEL
from portal_tui.widgets.form import Deleted, FormBusy, FormField, FormMessage, FormParts
from portal_tui.widgets.safe import PlainInput, safe
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD

if TYPE_CHECKING:  # the client, its wire models and the emailed-code forms load after paint
    from portal_tui.api.account_recovery import AccountRecoveryApi
    from portal_tui.screens.sign_in_help import NewSignIn
    from portal_tui.wire.invitations import ResetRequested

T = TypeVar("T")


ACCEPT_INVITATION = "Accept Invitation"
FORGOT_PASSWORD = "Forgot Password"
RESET_PASSWORD = "Reset Password"
HELP = [
    (FORGOT_PASSWORD, "forgot-password"),
    (RESET_PASSWORD, "reset-password"),
    (ACCEPT_INVITATION, "accept-invitation"),
]
"""The sign-in screen's forms for an emailed code, and their buttons' ids."""


class PortalAt:
    """One call on the portal at `server`, without a session; the connection is closed after
    it (sign_in_help.Recovery)."""

    def __init__(self, server: str, verify: ssl.SSLContext | bool) -> None:
        self.server, self.verify = server, verify

    async def __call__(self, call: Callable[[AccountRecoveryApi], Awaitable[T]]) -> T:
        from portal_tui.api.client import PortalClient

        client = PortalClient(self.server, verify=self.verify)
        try:
            return await call(client.recovery)
        finally:
            await client.aclose()


class LoginScreen(FormParts, Screen[None]):
    """Sign in to a portal. Server and email survive every failure; a wrong password is cleared.

    The code field shows once the portal asks for a code (two-step verification); a refused
    code is said under it and stays, as do the email and password it came with.

    Focus starts on the password when the email is known (an Input selects its text on focus,
    so a pre-filled email with focus would be replaced by the next key).
    """

    CSS_PATH = "login.tcss"
    AUTO_FOCUS = ""  # on_mount decides

    class Succeeded(Message):
        """Signed in (or resumed) with a family open; `remembered` is False when the token
        could not be kept."""

        def __init__(self, family: OpenFamily, *, remembered: bool) -> None:
            super().__init__()
            self.family = family
            self.remembered = remembered

    def __init__(
        self,
        options: LaunchOptions,
        *,
        demo: DemoServer | None = None,
        server: str = "",
        email: str = "",
        note: str = "",
        signed_out: bool = False,
    ) -> None:
        """`signed_out`: the user just left My Account (`note` says why, if it ended by
        itself); nothing resumes or starts by itself, and a demo portal keeps its hint."""
        super().__init__()
        self.options = options
        self.demo = demo
        self.signed_out = signed_out
        self._resume_failed = False
        self._server = server or options.server
        self._email = email or options.email
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static("Portal — Sign in", id="login-title")
            server = PlainInput(
                self._server, placeholder="https://portal.example.com", id="server", compact=True
            )
            yield FormField("Server URL", server, name="server")
            email = PlainInput(self._email, placeholder="you@example.com", id="email", compact=True)
            yield FormField("Email", email, name="email")
            yield FormField(
                "Password", Input(password=True, id="password", compact=True), name="password"
            )
            code = PlainInput(placeholder="123456", id="code", compact=True)
            code_field = FormField(CODE_LABEL, code, name="code")
            code_field.add_class("hidden")
            yield code_field
            with Horizontal(id="login-buttons"):
                yield Button("Sign in", variant="primary", id="sign-in", compact=True)
                yield Button("Retry", id="retry", classes="hidden", compact=True)
            with Horizontal(id="login-help"):
                for label, id in HELP:
                    yield Button(label, id=id, compact=True)
            yield FormBusy(classes="hidden")
            yield FormMessage(safe(self._note))
            if self.demo is not None:
                yield Static(
                    f"Demo portal — email {DEMO_EMAIL}, password {DEMO_PASSWORD}",
                    id="demo-credentials",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#password" if self._email else "#email", Input))
        if self.signed_out:
            self.call_after_refresh(collector.resume)  # My Account may have left it paused
            return
        if self.demo is not None:
            self.query_one("#email", Input).value = DEMO_EMAIL
            self.query_one("#password", Input).value = DEMO_PASSWORD
            self._busy("Starting the demo portal…")
            self.start_demo()
        else:
            self.try_resume()

    @property
    def busy(self) -> bool:
        """A sign-in, resume or demo start is under way."""
        return self.query_one("#sign-in", Button).disabled

    def _busy(self, message: str) -> None:
        self.query_one("#retry").add_class("hidden")
        self.show_field_errors({})
        self.set_busy(True)
        self.say(message)

    @on(Button.Pressed, "#retry")
    def retry(self) -> None:
        """Run again whatever could not reach the server: resuming, or signing in."""
        if self._resume_failed:
            self._resume_failed = False
            self.try_resume()
        else:
            self.submit()

    @on(Input.Submitted)
    @on(Button.Pressed, "#sign-in")
    def submit(self) -> None:
        from portal_tui.urls import BadServerUrl, check_server_url

        if self.busy:
            return
        server = self.query_one("#server", Input).value
        email = self.query_one("#email", Input).value.strip()
        password = self.query_one("#password", Input).value
        errors: dict[str, str] = {}
        try:
            server = check_server_url(server, allow_http=self.options.allow_http)
        except BadServerUrl as exc:
            errors["server"] = str(exc)
        if not email:
            errors["email"] = "Enter your email."
        if not password:
            errors["password"] = "Enter your password."
        if errors:
            self.refuse(errors)
            return
        self._busy(f"Signing in to {server}…")
        self.sign_in(server, email, password, self._code())

    def _code(self) -> str | None:
        """The code typed, once the portal has asked for one."""
        if self.query_one("#field-code", FormField).has_class("hidden"):
            return None
        return self.query_one("#code", Input).value.strip() or None

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield PaletteCommand(
            ACCEPT_INVITATION, "Set your password from an invitation", self.accept_invitation
        )
        yield PaletteCommand(FORGOT_PASSWORD, "Get a reset code by email", self.forgot_password)
        yield PaletteCommand(
            RESET_PASSWORD, "Set a new password with a reset code", self.reset_password
        )

    def _portal(self) -> PortalAt | None:
        """The portal the Server URL names; None (and the reason under it) when it cannot be
        used."""
        from portal_tui.urls import BadServerUrl, check_server_url

        try:
            server = check_server_url(
                self.query_one("#server", Input).value, allow_http=self.options.allow_http
            )
        except BadServerUrl as exc:
            self.refuse({"server": str(exc)})
            return None
        self.show_field_errors({})
        return PortalAt(server, self.options.verify)

    @on(Button.Pressed, "#accept-invitation")
    def accept_invitation(self) -> None:
        from portal_tui.screens.sign_in_help import AcceptInvitationForm

        if not self.busy and (portal := self._portal()):
            self.app.push_screen(AcceptInvitationForm(portal), self._password_set)

    @on(Button.Pressed, "#forgot-password")
    def forgot_password(self) -> None:
        from portal_tui.screens.sign_in_help import ForgotPasswordForm, ResetPasswordForm
        from portal_tui.wire.invitations import ResetRequested

        if self.busy or not (portal := self._portal()):
            return
        email = self.query_one("#email", Input).value.strip()

        def sent(requested: ResetRequested | Deleted | None) -> None:
            if isinstance(requested, ResetRequested):
                form = ResetPasswordForm(portal, note=requested.message)
                self.app.push_screen(form, self._password_set)

        self.app.push_screen(ForgotPasswordForm(portal, email), sent)

    @on(Button.Pressed, "#reset-password")
    def reset_password(self) -> None:
        from portal_tui.screens.sign_in_help import ResetPasswordForm

        if not self.busy and (portal := self._portal()):
            self.app.push_screen(ResetPasswordForm(portal), self._password_set)

    def _password_set(self, done: NewSignIn | Deleted | None) -> None:
        """A password was just set: sign in with it."""
        from portal_tui.screens.sign_in_help import NewSignIn

        if isinstance(done, NewSignIn):
            self.query_one("#email", Input).value = done.email
            self.query_one("#password", Input).value = done.password
            self.submit()

    @work(exclusive=True, group="sign-in", exit_on_error=False, description="sign in")
    async def sign_in(self, server: str, email: str, password: str, code: str | None) -> None:
        from portal_tui import state
        from portal_tui.api.client import PortalClient
        from portal_tui.signed_in import keep_token, open_family, sign_in

        client = PortalClient(server, verify=self.options.verify)
        try:
            portal = await sign_in(client, email, password, code=code, remember=self.demo is None)
            family = await open_family(portal)
        except BaseException:
            await client.aclose()
            raise
        remembered = await keep_token(portal)
        if portal.remember:
            await asyncio.to_thread(state.remember_sign_in, server, email)
        self.post_message(self.Succeeded(family, remembered=remembered))

    @work(exclusive=True, group="sign-in", exit_on_error=False, description="resume")
    async def try_resume(self) -> None:
        """Resume the saved session for this (or the last) server, if one still works."""
        from portal_tui import state, token_store

        if not self._server:
            last: str | None = await asyncio.to_thread(state.last_server)
            self._server = last or ""
            self.query_one("#server", Input).value = self._server
        if not self._server:
            return
        email: str | None = self._email or await asyncio.to_thread(state.last_email, self._server)
        if not email:
            return
        field = self.query_one("#email", Input)
        if not field.value:  # never over what the user has typed meanwhile
            field.value = email
            if field.has_focus:
                self.query_one("#password", Input).focus()
        token = await asyncio.to_thread(token_store.load, self._server, email)
        if not token:
            return
        self._busy("Resuming your session…")
        from portal_tui.api.client import PortalClient  # only with a session to resume
        from portal_tui.api.errors import NotSignedIn, ServerUnreachable
        from portal_tui.signed_in import open_family, resume

        client = PortalClient(self._server, token=token, verify=self.options.verify)
        try:
            portal = await resume(client)
            family = await open_family(portal)
        except ServerUnreachable:
            await client.aclose()
            self._resume_failed = True
            raise
        except NotSignedIn:
            await client.aclose()
            await asyncio.to_thread(token_store.forget, self._server, email)
            self.set_busy(False)
            self.say("Your saved session has ended. Sign in again.")
            self.query_one("#password", Input).focus()
            return
        except BaseException:
            await client.aclose()
            raise
        self.post_message(self.Succeeded(family, remembered=True))

    @work(exclusive=True, group="sign-in", exit_on_error=False, description="start demo")
    async def start_demo(self) -> None:
        assert self.demo is not None
        url = await self.demo.ready()
        self.query_one("#server", Input).value = url
        self._busy("Signing in to the demo portal…")
        self.sign_in(url, DEMO_EMAIL, DEMO_PASSWORD, None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every sign-in failure becomes a message in place, as the failure policy reads it;
        what was typed stays (but a wrong password). A failure about the code shows the code
        field. Once nothing is under way, the form waits for the user."""
        if event.state is WorkerState.ERROR:
            self._failed(event.worker.error)
        if event.worker.is_finished and not self.busy:
            self.call_after_refresh(collector.resume)

    def _failed(self, error: BaseException | None) -> None:
        from portal_tui.widgets.failures import Remedy, explain

        self.set_busy(False)
        failure = explain(error, signing_in=True)
        self.refuse(failure.fields, failure.message)
        if "code" in failure.fields:  # shown now: it can take the focus once painted
            self.query_one("#field-code", FormField).remove_class("hidden")
            self.call_after_refresh(self.query_one("#code", Input).focus)
        self.forget_refused_password(failure)
        if failure.remedy is Remedy.RETRY:
            self.query_one("#retry").remove_class("hidden")
