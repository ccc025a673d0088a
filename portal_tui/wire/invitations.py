"""Invitations for a secondary guardian to sign in, and password resets: what the primary
guardian sends, and what the invitee or the user sends back with the emailed code."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool

from portal_tui.wire.common import PlainText, RequestModel, Version, WireModel
from portal_tui.wire.security import NewPassword

INVITATION_HOURS = 48
"""How long an invitation's code works."""
RESET_MINUTES = 60
"""How long a password reset's code works."""


def _trimmed(code: str) -> str:
    """A code as pasted from an email: surrounding blanks are not part of it."""
    return code.strip()


EmailedCode = Annotated[PlainText, AfterValidator(_trimmed), Field(min_length=1, max_length=100)]
"""The code an invitation or a reset email carries."""


class InvitationSend(RequestModel):
    """Send Invite Email (or Re-Send): where to, and the guardian's version the caller saw."""

    email: PlainText = Field(min_length=3, max_length=254)
    version: Version


class GuardianAction(RequestModel):
    """Revoke or Reset Password for a guardian, as the caller saw them."""

    version: Version


class InvitationAccept(RequestModel):
    """The invitee's answer: the emailed code, their password, and that they are an adult."""

    code: EmailedCode
    password: NewPassword
    adult: StrictBool = Field(description="The invitee confirms they are 18 or older.")


class ResetRequest(RequestModel):
    """Forgot password: the email the user signs in with."""

    email: PlainText = Field(min_length=3, max_length=254)


class ResetComplete(RequestModel):
    """A new password, with the emailed reset code."""

    code: EmailedCode
    new_password: NewPassword


class SignInEmail(WireModel):
    """Whom the accepted invitation or the reset lets sign in, with the password just set."""

    email: str


class ResetRequested(WireModel):
    """The same answer whether or not the email has an account."""

    message: str
