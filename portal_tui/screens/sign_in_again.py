"""Sign in again over whatever was open, when the portal ended the session.

The screen below (a tab, a form with what the user typed) stays as it was; once signed in,
the same client carries the new token and the screen below resumes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.validation import Length
from textual.widgets import Input, Static

from portal_tui.signed_in import SignedIn, keep_token
from portal_tui.widgets.failures import Failure
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import safe


class SignInAgainScreen(FormScreen[str, bool]):
    """Asks for the password of the signed-in email; dismisses True once signed in."""

    AUTO_FOCUS = "#password"
    ANSWERS_CREDENTIALS = True

    def __init__(self, portal: SignedIn) -> None:
        self.portal = portal
        super().__init__("Sign in again", submit_label="Sign in")

    def compose_fields(self) -> ComposeResult:
        email = self.portal.user.email
        yield Static(safe(f"Your session has ended. Enter the password for {email}."))
        required = Length(minimum=1, failure_description="Enter your password.")
        password = Input(
            password=True, compact=True, id="password", validators=[required], validate_on=[]
        )
        yield FormField("Password", password, name="password")

    def build_request(self) -> str:
        return self.query_one("#password", Input).value

    async def save(self, request: str) -> bool:
        await self.portal.client.login(self.portal.user.email, request)
        await keep_token(self.portal)
        return True

    def show_failure(self, failure: Failure) -> None:
        super().show_failure(failure)
        self.forget_refused_password(failure)
