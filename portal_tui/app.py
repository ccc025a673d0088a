"""PortalApp: global bindings, the palette, and the switch between signing in and My Account."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from portal_tui.commands import ViewCommands
from portal_tui.demo_server import DemoServer
from portal_tui.messages import SessionEnded
from portal_tui.options import LaunchOptions
from portal_tui.screens.login import LoginScreen

if TYPE_CHECKING:
    from portal_tui.screens.main import MainScreen
    from portal_tui.signed_in import OpenFamily, SignedIn

QUIT_LOGOUT_SECONDS = 2.0
"""How long quitting waits for the portal to end a session no keyring kept."""


class PortalApp(App[None]):
    """The customer portal's My Account in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "Portal"
    COMMANDS = App.COMMANDS | {ViewCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, options: LaunchOptions, *, demo: DemoServer | None = None) -> None:
        super().__init__()
        self.options = options
        self.demo = demo or (DemoServer() if options.demo else None)
        self._told_not_remembered = False
        self._end_on_quit = False
        """The sign-in is not remembered: its session is ended on the server when the app
        quits, rather than left valid for hours with no one able to use it."""
        self.family: OpenFamily | None = None
        """The family My Account shows, while signed in."""
        self._resume_after_sign_in: list[Callable[[], None]] = []

    def on_mount(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not on the main thread (tests) or no SIGHUP here
        self.push_screen(LoginScreen(self.options, demo=self.demo))

    def _hang_up(self) -> None:
        """The terminal went away (SSH dropped): end the demo server and exit."""
        self._stop_demo()
        self.exit()

    def _stop_demo(self) -> None:
        if self.demo is not None:
            self.demo.stop()

    async def on_unmount(self) -> None:
        await self._end_forgotten_session()
        self._stop_demo()

    async def _end_forgotten_session(self) -> None:
        """A session no keyring kept ends with the app (briefly tried: quitting never hangs
        on an unreachable portal; the session then expires on its own)."""
        from portal_tui.api.errors import PortalError

        if self.family is None or not self._end_on_quit:
            return
        with contextlib.suppress(PortalError, TimeoutError):
            await asyncio.wait_for(self.family.portal.client.logout(), QUIT_LOGOUT_SECONDS)

    def on_login_screen_succeeded(self, event: LoginScreen.Succeeded) -> None:
        """Signed in: show My Account; say once when the sign-in will not be remembered."""
        from portal_tui.screens.main import MainScreen

        self.family = event.family
        self._end_on_quit = not event.remembered and self.demo is None
        self.switch_screen(MainScreen(event.family))
        if not event.remembered and self.demo is None and not self._told_not_remembered:
            self._told_not_remembered = True
            self.notify(
                "No keyring is available here, so this sign-in will not be remembered "
                "after you quit.",
                title="Sign-in not remembered",
                timeout=8,
            )

    def on_main_screen_sign_out_requested(self, event: MainScreen.SignOutRequested) -> None:
        self.sign_out(event.family.portal, event.note)

    def on_session_ended(self, event: SessionEnded) -> None:
        """Ask for the password once, over whatever is open; resume everything that asked."""
        from portal_tui.screens.sign_in_again import SignInAgainScreen

        if self.family is None:
            return  # signing out already: nothing to resume
        if event.resume is not None and event.resume not in self._resume_after_sign_in:
            self._resume_after_sign_in.append(event.resume)
        if any(isinstance(screen, SignInAgainScreen) for screen in self.screen_stack):
            return
        portal = self.family.portal

        def answered(signed_in: object) -> None:
            waiting, self._resume_after_sign_in = self._resume_after_sign_in, []
            if signed_in is True:
                for resume in waiting:
                    resume()
            else:
                self.sign_out(portal, "Signed out: the session had ended.")

        self.push_screen(SignInAgainScreen(portal), answered)

    @work(exclusive=True, group="sign-out", exit_on_error=False, description="sign out")
    async def sign_out(self, portal: SignedIn, message: str = "") -> None:
        """End the session on the server, forget the token, and go back to signing in.

        The token is forgotten here whatever the server says; if it could not be told, the
        sign-in screen says why (as the failure policy reads it).
        """
        from portal_tui import token_store
        from portal_tui.api.errors import NotSignedIn, PortalError
        from portal_tui.widgets.failures import explain

        self.family = None
        self._resume_after_sign_in.clear()
        try:
            await portal.client.logout()
        except NotSignedIn:
            pass  # the session had already ended: nothing left to end
        except PortalError as exc:
            message = message or f"Signed out here. {explain(exc).message}"
        finally:
            await portal.client.aclose()
        try:
            await asyncio.to_thread(token_store.forget, portal.server, portal.user.email)
        finally:
            while len(self.screen_stack) > 2:  # close any dialog over My Account
                self.pop_screen()
            login = LoginScreen(
                self.options,
                demo=self.demo,
                server=portal.server,
                email=portal.user.email,
                note=message,
                signed_out=True,
            )
            self.switch_screen(login)

    def action_help(self) -> None:
        """Show the keys of the current screen and the app (not those of the focused widget)."""
        from portal_tui.screens.help import HelpScreen

        bindings = [b for b in [*self.screen.BINDINGS, *self.BINDINGS] if isinstance(b, Binding)]
        self.push_screen(HelpScreen(bindings))
