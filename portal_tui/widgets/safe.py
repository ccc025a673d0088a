"""Text from outside (the server, the user) made fit to show: the UI's one way to display it.

Every string that did not come from this code passes `printable` (wire/text.py: no control
or escape character reaches the terminal) and is never parsed as markup. Pick the form the
receiving API takes: `safe` for widgets (Content), `safe_text` where a Rich `Text` is
expected (Select options, DataTable cells), `plain` where only a `str` is (a Segment, a
notification with markup off, a palette label). `PlainInput` is an Input that shows its
value, so its value goes through the same sanitizer however it arrives.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from portal_tui.wire.text import printable


def plain(value: object) -> str:
    """`value` as text with every control and escape character removed."""
    return printable(str(value))


def safe(value: object, style: str = "") -> Content:
    """`value` as Content, never read as markup, with no control or escape character."""
    return Content.styled(plain(value), style) if style else Content(plain(value))


def safe_text(value: object) -> Text:
    """`value` as a Rich Text (for APIs that take one), never read as markup, no controls."""
    return Text(plain(value))


class PlainInput(Input):
    """An Input whose value never holds a control or escape character: typed, pasted or set.

    Not for passwords: those are never shown, and must reach the server as typed.
    """

    def validate_value(self, value: str) -> str:
        return plain(value)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(plain(text), start, end)
