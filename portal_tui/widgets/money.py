"""Money as the business shows it: integer cents in, "$1,234.56" out."""

from __future__ import annotations

import re


def format_cents(cents: int, symbol: str = "$") -> str:
    """`-12345` → "-$123.45"; never through a float."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole:,}.{part:02d}"


WHOLE = re.compile(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+")
"""Whole units: plain digits, or with commas only between groups of three ("1,234")."""


def parse_cents(text: str, symbol: str = "$") -> int:
    """Text such as "$1,234.5" as cents (123450), never through a float; else ValueError."""
    value = text.strip().removeprefix(symbol).strip()
    whole, _, part = value.partition(".")
    if not WHOLE.fullmatch(whole):
        raise ValueError("Enter an amount such as 49.00.")
    whole = whole.replace(",", "")
    if len(whole) > 9:
        raise ValueError("Enter an amount such as 49.00.")
    if part and (not part.isdigit() or not part.isascii() or len(part) > 2):
        raise ValueError("Enter an amount such as 49.00 (at most two decimals).")
    return int(whole) * 100 + int(part.ljust(2, "0"))
