"""The one failure policy: what the user sees for each thing that can go wrong.

Every worker that talks to the portal — tabs, forms, sign-out — turns its error into a
`Failure` here, and the place that ran it shows that failure where the user is looking:
a tab in place, a form under its fields. Nothing else decides how an error reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from portal_tui.api import errors
from portal_tui.signed_in import NoFamily
from portal_tui.widgets.safe import plain


class Remedy(Enum):
    """What the user can do about a failure."""

    FIX_INPUT = auto()
    """Correct the fields named and save again."""
    RETRY = auto()
    """Try the same thing again (Ctrl+R in a tab, Save in a form)."""
    SIGN_IN_AGAIN = auto()
    """The session ended: sign in again, then carry on where they were."""
    REVIEW_CURRENT = auto()
    """Someone else changed the record: look at it as it is now, then save or cancel."""
    NONE = auto()
    """Nothing this app can offer (not allowed, a newer server): the message says why."""


CODE_LABEL = "Code from your authenticator app, or a recovery code"
"""The field a sign-in shows once the portal asks for a code."""
CODE_NEEDED = (
    "This account uses two-step verification: enter the 6-digit code from your "
    "authenticator app, or one of your recovery codes."
)
WRONG_CODE = "The code is not right, or it was used already. Enter the newest one."


@dataclass(frozen=True)
class Failure:
    """A failure as the user sees it: a message, per-field messages, and the way on."""

    message: str
    remedy: Remedy
    fields: dict[str, str] = field(default_factory=dict)
    current: Any = None
    """For a conflict: the record as it is now (a wire model), when the server sent it."""


def explain(error: BaseException | None, *, signing_in: bool = False) -> Failure:
    """The failure the user sees for `error`; every text in it is safe to show.

    `signing_in`: the error answers an email and password, so a 401 means they are wrong
    (or, with two-step verification on, that the code is missing or wrong: field "code").
    """
    if signing_in and isinstance(error, errors.TwoStepCodeWrong):
        message = plain(error.message) or WRONG_CODE
        return Failure(message, Remedy.FIX_INPUT, {"code": message})
    if signing_in and isinstance(error, errors.TwoStepCodeNeeded):
        return Failure(CODE_NEEDED, Remedy.FIX_INPUT, {"code": "Enter the code."})
    if signing_in and isinstance(error, errors.NotSignedIn):
        message = "Email or password is incorrect."
        return Failure(message, Remedy.FIX_INPUT, {"password": "Check it, or the email."})
    if isinstance(error, NoFamily):
        return Failure(f"{error} Staff mode is not available yet.", Remedy.NONE)
    if isinstance(error, errors.NotSignedIn):
        return Failure("Your session has ended. Sign in again to carry on.", Remedy.SIGN_IN_AGAIN)
    if isinstance(error, errors.ValidationFailed):
        fields = {name: plain(text) for name, text in error.fields.items()}
        return Failure(plain(error.message), Remedy.FIX_INPUT, fields)
    if isinstance(error, errors.Conflict):
        message = plain(error.message) or "Someone changed this after you opened it."
        return Failure(message, Remedy.REVIEW_CURRENT, current=error.current)
    if isinstance(error, errors.ServerBusy):
        wait = f"{error.retry_after} second{'s' if error.retry_after != 1 else ''}"
        return Failure(f"The portal is busy. Try again in {wait}.", Remedy.RETRY)
    if isinstance(error, errors.ServerUnreachable):
        return Failure(f"{plain(error.message)} Check your connection and try again.", Remedy.RETRY)
    if isinstance(error, errors.Forbidden | errors.NotFound | errors.VersionMismatch):
        return Failure(plain(error.message), Remedy.NONE)
    if isinstance(error, errors.PortalError):
        return Failure(plain(error.message), Remedy.RETRY)
    return Failure(f"Something went wrong in the app: {plain(repr(error))}", Remedy.RETRY)
