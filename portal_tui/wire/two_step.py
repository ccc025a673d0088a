"""Two-step verification: turning it on with any authenticator app (TOTP), its recovery
codes, and turning it off."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from portal_tui.wire.common import Count, PlainText, RequestModel, WireModel
from portal_tui.wire.security import Password

RECOVERY_CODES = 10
"""Recovery codes given when two-step verification is turned on; each signs in once."""

CODE_MAX = 32
"""Characters a code may have as typed (a six-digit code or a recovery code, with spaces)."""


class TwoStepStatus(WireModel):
    """Whether the user's two-step verification is on, and what their role requires."""

    enabled: bool
    enabled_at: AwareDatetime | None = None
    pending: bool = Field(description="Turning on was started and awaits its first code.")
    recovery_codes_left: Count
    required: bool = Field(description="The user's staff role must sign in with it.")


class TwoStepSetup(WireModel):
    """A new secret for an authenticator app: as text, and as an otpauth:// URI (for a QR
    code). Two-step verification is not on until a first code confirms it."""

    secret: str = Field(description="Base32, for typing into the app.")
    uri: str = Field(description="otpauth://totp/... for a QR code.")


class TwoStepCode(RequestModel):
    """A code from the authenticator app."""

    code: PlainText = Field(min_length=1, max_length=CODE_MAX)


class RecoveryCodes(WireModel):
    """The recovery codes, shown this once: each signs in once instead of an app's code."""

    codes: list[str]


class PasswordAndCode(RequestModel):
    """What turning two-step verification off, or getting new recovery codes, needs: the
    password, and a code (or a recovery code)."""

    password: Password = Field(min_length=1, max_length=1024)
    code: PlainText = Field(min_length=1, max_length=CODE_MAX)
