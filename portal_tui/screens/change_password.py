"""Change Password: the current password, a new one checked as it is typed (length and
strength, counting the user's own email and name as easy to guess, the server's own rule),
and the new one again. The server ends every other session of the user; this one carries on."""

from __future__ import annotations

from textual.app import ComposeResult

from portal_tui.api.security import SecurityApi
from portal_tui.screens.new_password import NewPasswordForm, secret_input
from portal_tui.widgets.form import FormField
from portal_tui.wire.auth import UserOut
from portal_tui.wire.security import PasswordChange, PasswordChanged, user_words


class ChangePasswordForm(NewPasswordForm[PasswordChange, PasswordChanged]):
    """Returns what the server said: how many other sessions it signed out."""

    def __init__(self, api: SecurityApi, user: UserOut) -> None:
        super().__init__("Change Password", submit_label="Change Password")
        self.api = api
        self.about_user = user_words(user.email, user.display_name)

    def compose_fields(self) -> ComposeResult:
        current = secret_input("current_password")
        yield FormField("Current password", current, name="current_password")
        yield from self.new_password_fields()

    def build_request(self) -> PasswordChange:
        return PasswordChange.model_validate(self.values("current_password", "new_password"))

    async def save(self, request: PasswordChange) -> PasswordChanged:
        return await self.api.change_password(request)
