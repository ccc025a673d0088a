"""What counts as a control character, for both ends: the server refuses them in text fields,
the UI strips them from anything it shows."""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (ESC, BEL, CSI, OSC…), line/paragraph separators and bidi overrides."""


def has_control(value: str) -> bool:
    """True when `value` holds a character no terminal should receive from data."""
    return CONTROL.search(value) is not None


def printable(value: str) -> str:
    """`value` with every control character removed and lone surrogates replaced."""
    cleaned = CONTROL.sub("", value)
    if any(unicodedata.category(ch) == "Cs" for ch in cleaned):
        cleaned = cleaned.encode("utf-8", "replace").decode("utf-8")
    return cleaned
