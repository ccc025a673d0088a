"""What the sign-in screen sends with an emailed code, before anyone is signed in: accept an
invitation, ask for a password reset, and set a new password with the reset code."""

from __future__ import annotations

from portal_tui.api.http import PortalHttp
from portal_tui.wire.invitations import (
    InvitationAccept,
    ResetComplete,
    ResetRequest,
    ResetRequested,
    SignInEmail,
)


class AccountRecoveryApi:
    """Accept Invitation, Forgot Password and Reset Password."""

    def __init__(self, http: PortalHttp) -> None:
        self.http = http

    async def accept_invitation(self, answer: InvitationAccept) -> SignInEmail:
        """Set the invitee's password; answers the email they now sign in with."""
        path = "/auth/invitation/accept"
        accepted: SignInEmail = await self.http.send("POST", path, answer, SignInEmail)
        return accepted

    async def request_reset(self, request: ResetRequest) -> ResetRequested:
        """Forgot Password: the portal answers the same whether or not the email signs in."""
        requested: ResetRequested = await self.http.send(
            "POST", "/auth/password-reset", request, ResetRequested
        )
        return requested

    async def complete_reset(self, reset: ResetComplete) -> SignInEmail:
        """Set a new password with a reset code; answers the email to sign in with."""
        path = "/auth/password-reset/complete"
        done: SignInEmail = await self.http.send("POST", path, reset, SignInEmail)
        return done
