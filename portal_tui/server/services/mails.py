"""The mail the portal sends about sign-ins: invitations, password resets, revoked access.

Each says what happened, what to do with the code (in Portal TUI, on the sign-in screen),
and how long the code works; none carries a password or a link with a secret in it."""

from __future__ import annotations

from portal_tui.server.outbox import Mail
from portal_tui.wire.invitations import INVITATION_HOURS, RESET_MINUTES

_IGNORE = "If you did not expect this email, you can ignore it."


def invitation(
    *, to: str, guardian: str, inviter: str, family: str, business: str, code: str
) -> Mail:
    return Mail(
        to=to,
        subject=f"{business}: you are invited to the customer portal",
        body=(
            f"Hello {guardian},\n\n"
            f"{inviter} invited you to sign in to {business}'s customer portal as a guardian "
            f"of the {family}.\n\n"
            'To accept, open Portal TUI, choose "Accept Invitation" on the sign-in screen, '
            "and enter this invitation code:\n\n"
            f"    {code}\n\n"
            f"The code works once, within {INVITATION_HOURS} hours of this email.\n\n"
            f"{_IGNORE}\n"
        ),
    )


def reset(*, to: str, name: str, business: str, code: str, asked_by: str | None) -> Mail:
    why = (
        f"{asked_by} asked for a new password for your sign-in"
        if asked_by
        else "Someone asked for a new password for your sign-in"
    )
    return Mail(
        to=to,
        subject=f"{business}: reset your password",
        body=(
            f"Hello {name},\n\n"
            f"{why} to {business}'s customer portal.\n\n"
            'To choose a new password, open Portal TUI, choose "Reset Password" on the '
            "sign-in screen, and enter this reset code:\n\n"
            f"    {code}\n\n"
            f"The code works once, within {RESET_MINUTES} minutes of this email. Your "
            "password stays as it is until you use it.\n\n"
            f"{_IGNORE}\n"
        ),
    )


def revoked(*, to: str, name: str, business: str, revoker: str, signed_in: bool) -> Mail:
    what = (
        "You can no longer sign in, and you have been signed out everywhere."
        if signed_in
        else "The invitation code you were sent no longer works."
    )
    return Mail(
        to=to,
        subject=f"{business}: your portal access was revoked",
        body=(
            f"Hello {name},\n\n"
            f"{revoker} revoked your access to {business}'s customer portal. {what}\n\n"
            "If you think this is a mistake, contact them or the business.\n"
        ),
    )


def revoke_done(*, to: str, name: str, business: str, guardian: str) -> Mail:
    return Mail(
        to=to,
        subject=f"{business}: you revoked {guardian}'s portal access",
        body=(
            f"Hello {name},\n\n"
            f"You revoked {guardian}'s access to {business}'s customer portal: they cannot "
            "sign in or make payments there, any invitation code of theirs no longer works, "
            "and we have told them.\n\n"
            'To let them back in, choose "Send Invite Email" for them on the Account Info '
            "tab.\n"
        ),
    )
