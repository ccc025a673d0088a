"""A student's check-in code: the opaque payload of their QR code."""

from __future__ import annotations

from pydantic import Field

from portal_tui.wire.common import WireModel

CHECKIN_CODE_PATTERN = r"^PT1-[A-Z2-7]{20}$"
"""A check-in code: "PT1-" and 20 base32 characters, all upper-case alphanumeric so the QR
code stays version 1."""


class CheckinCodeOut(WireModel):
    """The code a student's QR code carries; it names no database id and cannot be guessed."""

    code: str = Field(pattern=CHECKIN_CODE_PATTERN)
