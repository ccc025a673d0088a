"""The signed-in user's own security: Change Password and the list of their sessions.

What makes a new password acceptable is decided here, once: the server refuses what this
refuses, and the form shows the same reason as the user types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, SecretStr

from portal_tui.wire.auth import encodable
from portal_tui.wire.common import Count, Id, RequestModel, WireModel

PASSWORD_MIN = 10
"""Characters a new password has at least."""
PASSWORD_MAX = 128
"""Characters a new password has at most (a passphrase fits; hashing stays cheap)."""
STRONG_ENOUGH = 3
"""The least zxcvbn score (0-4) a new password must reach: 3 resists an online attack
and a slowed offline one, as zxcvbn's authors advise."""


def user_words(email: str, name: str) -> list[str]:
    """The words of the user's own details (email, name) a password should not lean on."""
    return [word for text in (email, name) for word in re.split(r"[^\w]+", text.lower()) if word]


def password_problem(password: str, *, about_user: Sequence[str] = ()) -> str | None:
    """Why `password` will not do as a new password, in the user's words; None if it will.

    Long enough, not too long, and strong enough by zxcvbn's estimate, counting the user's
    own details (`about_user`, see `user_words`) as easy to guess."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    from zxcvbn_rs_py import zxcvbn  # loaded when a password is first checked

    estimate = zxcvbn(password, user_inputs=list(about_user))
    if int(estimate.score) >= STRONG_ENOUGH:
        return None
    feedback = estimate.feedback  # zxcvbn's own sentences: why, and what would help
    reasons = [str(feedback.warning)] if feedback and feedback.warning else []
    reasons += [str(suggestion) for suggestion in (feedback.suggestions if feedback else [])]
    return " ".join(["Too easy to guess.", *reasons[:2]])


def _strong(secret: SecretStr) -> SecretStr:
    """A new password's own check (the server checks the user's details as well)."""
    problem = password_problem(secret.get_secret_value())
    if problem is not None:
        raise ValueError(problem)
    return secret


Password = Annotated[SecretStr, AfterValidator(encodable)]
NewPassword = Annotated[Password, AfterValidator(_strong)]
"""A password being set: long and strong enough (the server checks the user's details too)."""


class PasswordChange(RequestModel):
    """Change Password: the current password, and the new one."""

    current_password: Password = Field(min_length=1, max_length=1024)
    new_password: NewPassword


class PasswordChanged(WireModel):
    """The password is changed; this many other sessions of the user were signed out."""

    ended_sessions: Count


class SessionOut(WireModel):
    """One of the user's active sessions (a sign-in not ended and not expired)."""

    id: Id
    client: str = Field(description="The app that signed in, as it named itself.")
    created_at: AwareDatetime
    last_used_at: AwareDatetime = Field(description="Accurate to a few minutes.")
    address: str = Field(description="The network address it signed in from.")
    current: bool = Field(description="The session making this request.")


class SessionsEnded(WireModel):
    """How many sessions were signed out."""

    ended: Count
