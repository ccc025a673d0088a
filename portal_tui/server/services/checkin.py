"""Students' check-in codes: the opaque payload of each student's QR code."""

from __future__ import annotations

import base64
import secrets

CHECKIN_PREFIX = "PT1-"
"""Marks a code as a Portal TUI check-in (upper case: the QR code stays small)."""


def new_checkin_code() -> str:
    """A fresh, unguessable check-in code: 100 random bits in base32 (A–Z, 2–7)."""
    return CHECKIN_PREFIX + base64.b32encode(secrets.token_bytes(13)).decode()[:20]
