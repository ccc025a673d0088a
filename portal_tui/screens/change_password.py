"""Change Password: the current password, a new one checked as it is typed (length and
strength, counting the user's own email and name as easy to guess, the server's own rule),
and the new one again. The server ends every other session of the user; this one carries on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from portal_tui.api.security import SecurityApi
from portal_tui.widgets.form import FormField, FormScreen, LibraryCheck
from portal_tui.wire.auth import UserOut
from portal_tui.wire.security import PasswordChange, PasswordChanged, password_problem, user_words


class ChangePasswordForm(FormScreen[PasswordChange, PasswordChanged]):
    """Returns what the server said: how many other sessions it signed out."""

    def __init__(self, api: SecurityApi, user: UserOut) -> None:
        super().__init__("Change Password", submit_label="Change Password")
        self.api = api
        self.about_user = user_words(user.email, user.display_name)

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Current password", self._secret("current_password"), name="current_password"
        )
        new = self._secret("new_password", LibraryCheck(self._strong_enough))
        yield FormField("New password", new, name="new_password")
        again = self._secret("confirm_password", LibraryCheck(self._same_as_new))
        yield FormField("New password again", again, name="confirm_password")

    @staticmethod
    def _secret(id: str, *validators: LibraryCheck) -> Input:
        return Input(password=True, id=id, compact=True, validators=list(validators))

    def _strong_enough(self, typed: str) -> None:
        problem = password_problem(typed, about_user=self.about_user) if typed else "Required."
        if problem is not None:
            raise ValueError(problem)

    def _same_as_new(self, typed: str) -> None:
        if typed != self.query_one("#new_password", Input).value:
            raise ValueError("Type the same new password again.")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A changed new password is compared again with what was typed as its repeat."""
        super().on_input_changed(event)
        again = self.query_one("#confirm_password", Input)
        if event.input.id == "new_password" and again.value:
            result = again.validate(again.value)
            errors = [] if result is None else result.failure_descriptions
            self.fields()["confirm_password"].show_error("; ".join(errors) or None)

    def build_request(self) -> PasswordChange:
        return PasswordChange.model_validate(
            {
                "current_password": self.query_one("#current_password", Input).value,
                "new_password": self.query_one("#new_password", Input).value,
            }
        )

    async def save(self, request: PasswordChange) -> PasswordChanged:
        return await self.api.change_password(request)
