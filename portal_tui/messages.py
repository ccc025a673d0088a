"""App-wide messages: what a screen or form asks of the app."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.widget import Widget


class SessionEnded(Message):
    """The portal no longer accepts the session: ask the user to sign in again.

    `resume` runs once they have (a tab loads again; a form says its entries are kept). If
    they decline, the app goes back to the sign-in screen.
    """

    def __init__(self, resume: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.resume = resume


class GuardiansChanged(Message):
    """A guardian's record changed from `origin`: every other view showing guardians is out
    of date and reads them again when next shown."""

    def __init__(self, origin: Widget) -> None:
        super().__init__()
        self.origin = origin


class FamilyChanged(Message):
    """A write changed who is in the family, so what the caller may do there may have
    changed too: read the family and its capabilities again, and reload what is shown."""
