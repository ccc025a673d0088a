"""A report as it is saved: what it is, whose, where and for when, its table and its totals."""

from __future__ import annotations

import re
from dataclasses import dataclass

STEM_BYTES = 200
"""A file name's longest stem in UTF-8 bytes: file systems allow 255 bytes a name."""
Cell = str | int | None
"""A text cell, or (in a money column) an amount in cents; None is an empty cell."""


@dataclass(frozen=True)
class Column:
    title: str
    money: bool = False
    """Amounts in cents: right-aligned, written as decimal amounts."""


@dataclass(frozen=True)
class Document:
    title: str
    """What the report is ("Statement", "Ledger", "Payment Statement")."""
    business: str
    family: str
    location: str
    period: str
    """The dates it covers, in words ("As of 2026-03-02", "2025-01-01 to 2025-12-31")."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[tuple[str, int], ...]
    """Each total's label and its amount in cents."""
    symbol: str = "$"
    """The business's currency symbol (the PDF shows it; the CSV's amounts are plain)."""

    def file_stem(self) -> str:
        """`Statement - Rivera Family - Downtown - As of 2026-03-02`, with nothing a file
        system would refuse or read as a folder, and short enough for any file system (names
        are cut to STEM_BYTES of UTF-8, leaving room for the suffix)."""
        parts = (self.title, self.family, self.location, self.period)
        stem = " - ".join(re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", part).strip() for part in parts)
        stem = re.sub(r"\s+", " ", stem).strip(" .")
        stem = stem.encode()[:STEM_BYTES].decode(errors="ignore").strip(" .")
        return stem or "report"
