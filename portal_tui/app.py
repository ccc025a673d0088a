"""PortalApp: global bindings, the palette, and the switch between signing in and My Account."""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from portal_tui.commands import ViewCommands
from portal_tui.demo_server import DemoServer
from portal_tui.options import LaunchOptions
from portal_tui.screens.login import LoginScreen

if TYPE_CHECKING:
    from portal_tui.screens.main import MainScreen
    from portal_tui.signed_in import SignedIn


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
        self._stop_demo()

    def on_login_screen_succeeded(self, event: LoginScreen.Succeeded) -> None:
        """Signed in: show My Account; say once when the sign-in will not be remembered."""
        from portal_tui.screens.main import MainScreen

        self.switch_screen(MainScreen(event.portal))
        if not event.remembered and self.demo is None and not self._told_not_remembered:
            self._told_not_remembered = True
            self.notify(
                "No keyring is available here, so this sign-in will not be remembered "
                "after you quit.",
                title="Sign-in not remembered",
                timeout=8,
            )

    def on_main_screen_sign_out_requested(self, event: MainScreen.SignOutRequested) -> None:
        self.sign_out(event.portal, event.note)

    @work(exclusive=True, group="sign-out", exit_on_error=False, description="sign out")
    async def sign_out(self, portal: SignedIn, message: str = "") -> None:
        """End the session on the server, forget the token, and go back to signing in."""
        from portal_tui import token_store
        from portal_tui.api.errors import PortalError

        try:
            await portal.client.logout()
        except PortalError:
            pass  # the token is forgotten here either way
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
