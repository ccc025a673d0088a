"""`PortalClient`: a connection to one portal server, with typed methods that return wire
models; a family's endpoints are reached through `family(id)`.

Each group of endpoints, and the wire models of its answers, is imported when first used:
building their pydantic models is most of what importing the API costs, and an app's first
screen needs only a few of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp, parse
from portal_tui.wire import API_VERSION
from portal_tui.wire.common import Meta

if TYPE_CHECKING:
    from portal_tui.api.account_recovery import AccountRecoveryApi
    from portal_tui.api.family import FamilyApi
    from portal_tui.api.security import SecurityApi
    from portal_tui.api.two_step import TwoStepApi
    from portal_tui.wire.auth import LoginResult, UserOut
    from portal_tui.wire.settings import BusinessOut, LocationOut


class PortalClient(PortalHttp):
    """A connection to one portal server, signed in or not."""

    async def meta(self) -> Meta:
        """The server's versions and business name; raises VersionMismatch if we differ."""
        meta: Meta = await self.read("/meta", Meta)
        if meta.api_version != API_VERSION:
            raise errors.VersionMismatch(
                f"The portal speaks API version {meta.api_version}; this app speaks "
                f"{API_VERSION}. Update the app or ask the portal's operator."
            )
        return meta

    async def login(self, email: str, password: str, code: str | None = None) -> LoginResult:
        """Sign in; the client keeps the new token for later calls. `code`: the authenticator
        app's code or a recovery code, for an account with two-step verification on."""
        from portal_tui.wire.auth import LoginResult

        payload = {"email": email, "password": password}
        if code:
            payload["code"] = code
        response = await self.request("POST", "/auth/login", json=payload)
        result: LoginResult = parse(LoginResult, response)
        self.token = result.token
        return result

    async def logout(self) -> None:
        """End the session on the server and forget the token."""
        try:
            await self.request("POST", "/auth/logout")
        finally:
            self.token = None

    async def me(self) -> UserOut:
        from portal_tui.wire.auth import UserOut

        return await self.read("/auth/me", UserOut)

    async def business(self) -> BusinessOut:
        from portal_tui.wire.settings import BusinessOut

        return await self.read("/settings", BusinessOut)

    async def locations(self) -> list[LocationOut]:
        from portal_tui.wire.settings import LocationOut

        return await self.read("/locations", list[LocationOut])

    @property
    def security(self) -> SecurityApi:
        """Change Password and the user's sessions."""
        from portal_tui.api.security import SecurityApi

        return SecurityApi(self)

    @property
    def two_step(self) -> TwoStepApi:
        """The user's two-step verification: status, turn on, turn off."""
        from portal_tui.api.two_step import TwoStepApi

        return TwoStepApi(self)

    @property
    def recovery(self) -> AccountRecoveryApi:
        """Accept Invitation, Forgot Password and Reset Password (no session needed)."""
        from portal_tui.api.account_recovery import AccountRecoveryApi

        return AccountRecoveryApi(self)

    def family(self, family_id: int) -> FamilyApi:
        """The family-scoped endpoints of `family_id`; every call names it."""
        from portal_tui.api.family import FamilyApi

        return FamilyApi(self, family_id)
