"""Money as the business shows it: integer cents in, "$1,234.56" out."""

from __future__ import annotations


def format_cents(cents: int, symbol: str = "$") -> str:
    """`-12345` → "-$123.45"; never through a float."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole:,}.{part:02d}"
