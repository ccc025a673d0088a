"""What the sign-in screen sends with an emailed code, before anyone is signed in: accept an
invitation, ask for a password reset, and set a new password with the reset code."""

from __future__ import annotations

from portal_tui.api.http import PortalHttp, parse
from portal_tui.wire.invitations import (
    InvitationAccept,
    ResetComplete,
    ResetRequest,
    ResetRequested,
    SignInEmail,
)


class AccountRecoveryApi:
    """Accept Invitation, Forgot Password and Reset Password. Passwords are sent as typed (a
    model's JSON would hide them)."""

    def __init__(self, http: PortalHttp) -> None:
        self.http = http

    async def accept_invitation(self, answer: InvitationAccept) -> SignInEmail:
        """Set the invitee's password; answers the email they now sign in with."""
        payload = {
            "code": answer.code,
            "password": answer.password.get_secret_value(),
            "adult": answer.adult,
        }
        response = await self.http.request("POST", "/auth/invitation/accept", json=payload)
        accepted: SignInEmail = parse(SignInEmail, response)
        return accepted

    async def request_reset(self, request: ResetRequest) -> ResetRequested:
        """Forgot Password: the portal answers the same whether or not the email signs in."""
        requested: ResetRequested = await self.http.send(
            "POST", "/auth/password-reset", request, ResetRequested
        )
        return requested

    async def complete_reset(self, reset: ResetComplete) -> SignInEmail:
        """Set a new password with a reset code; answers the email to sign in with."""
        payload = {"code": reset.code, "new_password": reset.new_password.get_secret_value()}
        response = await self.http.request("POST", "/auth/password-reset/complete", json=payload)
        done: SignInEmail = parse(SignInEmail, response)
        return done
