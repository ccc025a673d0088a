"""The signed-in user's own security endpoints (/auth/…): Change Password and the list of
their sessions."""

from __future__ import annotations

from portal_tui.api.http import PortalHttp
from portal_tui.wire.security import PasswordChange, PasswordChanged, SessionOut, SessionsEnded


class SecurityApi:
    """Change Password, and the user's sessions: list them, sign out one or every other."""

    def __init__(self, http: PortalHttp) -> None:
        self.http = http

    async def change_password(self, change: PasswordChange) -> PasswordChanged:
        """Change the password; every other session of the user ends."""
        changed: PasswordChanged = await self.http.send(
            "POST", "/auth/password", change, PasswordChanged
        )
        return changed

    async def sessions(self) -> list[SessionOut]:
        """The user's active sessions, the most recently used first."""
        return await self.http.read("/auth/sessions", list[SessionOut])

    async def end_session(self, session_id: int) -> None:
        """Sign out one of the user's sessions."""
        await self.http.send("DELETE", f"/auth/sessions/{session_id}", None, None)

    async def end_other_sessions(self) -> SessionsEnded:
        """Sign out every session of the user but this one."""
        ended: SessionsEnded = await self.http.send(
            "POST", "/auth/sessions/end-others", None, SessionsEnded
        )
        return ended
