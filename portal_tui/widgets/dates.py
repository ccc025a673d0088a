"""A date typed in a form: YYYY-MM-DD, checked as the user types."""

from __future__ import annotations

from datetime import date

from portal_tui.widgets.form import line_input
from portal_tui.widgets.safe import PlainInput


def typed_date(value: str) -> date:
    """A date typed as YYYY-MM-DD."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("Use the form YYYY-MM-DD, e.g. 2026-03-12.") from None


def date_input(value: date | None = None, *, id: str | None = None) -> PlainInput:
    """A one-line date field whose error (not YYYY-MM-DD) shows under it as the user types."""
    text = value.isoformat() if value else ""
    return line_input(text, check=typed_date, placeholder="YYYY-MM-DD", id=id)
