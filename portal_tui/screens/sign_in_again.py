"""Sign in again over whatever was open, when the portal ended the session.

The screen below (a tab, a form with what the user typed) stays as it was; once signed in,
the same client carries the new token and the screen below resumes. An account with two-step
verification on is asked for the app's code (or a recovery code) as well, as at sign-in.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.validation import Length
from textual.widgets import Input, Static

from portal_tui.signed_in import SignedIn, keep_token
from portal_tui.widgets.failures import CODE_LABEL, Failure
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import PlainInput, safe


class SignInAgainScreen(FormScreen[tuple[str, str | None], bool]):
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
        code = FormField(CODE_LABEL, PlainInput(id="code", compact=True), name="code")
        code.add_class("hidden")
        yield code

    def build_request(self) -> tuple[str, str | None]:
        """The password, and the code once the portal has asked for one."""
        asked = not self.query_one("#field-code", FormField).has_class("hidden")
        code = self.query_one("#code", Input).value.strip() if asked else ""
        return self.query_one("#password", Input).value, code or None

    async def save(self, request: tuple[str, str | None]) -> bool:
        password, code = request
        await self.portal.client.login(self.portal.user.email, password, code)
        await keep_token(self.portal)
        return True

    def show_failure(self, failure: Failure) -> None:
        super().show_failure(failure)
        if "code" in failure.fields:  # shown now: it can take the focus once painted
            self.query_one("#field-code", FormField).remove_class("hidden")
            self.call_after_refresh(self.query_one("#code", Input).focus)
        self.forget_refused_password(failure)
