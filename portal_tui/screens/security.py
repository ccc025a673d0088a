"""Security tab: who is signed in, and Sign Out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Static

from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.safe import safe


class SecurityTab(AccountTab):
    """The signed-in user; its Sign Out button is handled by the screen."""

    TAB_ID = "security"
    TITLE = "Security"
    DESCRIPTION = "Who is signed in; sign out"

    def compose(self) -> ComposeResult:
        user = self.portal.user
        yield Static(safe(f"Signed in as {user.display_name}"), classes="guardian-name")
        yield Static(safe(f"Email     {user.email}"))
        yield Static(safe(f"Portal    {self.family.business.name}"))
        yield Button("Sign Out", id="sign-out", compact=True)

    async def fetch(self) -> None:
        """Nothing to fetch: everything shown came with the sign-in."""
