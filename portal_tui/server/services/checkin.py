"""Students' check-in codes: the opaque payload of each student's QR code (reading and
replacing a student's code is services/checkin_codes.py)."""

from __future__ import annotations

import base64
import hashlib
import secrets

CHECKIN_PREFIX = "PT1-"
"""Marks a code as a Portal TUI check-in (upper case: the QR code stays small)."""


def _code(random_bytes: bytes) -> str:
    return CHECKIN_PREFIX + base64.b32encode(random_bytes).decode()[:20]


def new_checkin_code() -> str:
    """A fresh, unguessable check-in code: 100 random bits in base32 (A–Z, 2–7)."""
    return _code(secrets.token_bytes(13))


def seeded_checkin_code(key: str) -> str:
    """A code in the same form derived from `key` (unique per student), the same on every build
    so demo snapshots stay put. Demo and benchmark data only: anyone can derive it."""
    return _code(hashlib.sha256(key.encode()).digest()[:13])
