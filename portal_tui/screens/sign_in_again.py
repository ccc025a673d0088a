"""Sign in again over whatever was open, when the portal ended the session.

The screen below (a tab, a form with what the user typed) stays as it was; once signed in,
the same client carries the new token and the screen below resumes.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.widgets import Input, Static

from portal_tui.api import errors
from portal_tui.signed_in import SignedIn
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import safe


class SignInAgainScreen(FormScreen[str, bool]):
    """Asks for the password of the signed-in email; dismisses True once signed in."""

    AUTO_FOCUS = "#password"

    def __init__(self, portal: SignedIn) -> None:
        self.portal = portal
        super().__init__("Sign in again", submit_label="Sign in")

    def compose_fields(self) -> ComposeResult:
        email = self.portal.user.email
        yield Static(safe(f"Your session has ended. Enter the password for {email}."))
        yield FormField(
            "Password", Input(password=True, compact=True, id="password"), name="password"
        )

    def build_request(self) -> str:
        return self.query_one("#password", Input).value

    async def save(self, request: str) -> bool:
        from portal_tui import token_store

        if not request:
            raise errors.ValidationFailed("Enter your password.", {"password": "required"})
        client = self.portal.client
        try:
            await client.login(self.portal.user.email, request)
        except errors.NotSignedIn:
            self.query_one("#password", Input).value = ""
            raise errors.ValidationFailed(
                "That password is not right.", {"password": "not right"}
            ) from None
        if self.portal.remember:
            await asyncio.to_thread(
                token_store.save, self.portal.server, self.portal.user.email, client.token or ""
            )
        return True
