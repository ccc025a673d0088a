"""One line under a view saying how its last action went: done, or why not and what to do."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from portal_tui.messages import SessionEnded
from portal_tui.widgets.failures import Failure, Remedy, explain
from portal_tui.widgets.safe import safe


class ActionMessage(Static):
    """Empty until an action finishes; an error reads as one (in words, not only colour)."""

    DEFAULT_CSS = """
    ActionMessage { height: auto; }
    ActionMessage.-error { color: $text-error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.display = False

    def done(self, text: str) -> None:
        self._say(text, error=False)

    def refused(self, text: str) -> None:
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.set_class(error, "-error")
        self.update(safe(text))
        self.display = True

    def failed(self, error: BaseException | None, *, resume: Callable[[], None]) -> Failure:
        """Say what went wrong as the failure policy reads it; an ended session asks the user
        to sign in again, then runs `resume`."""
        failure = explain(error)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=resume))
        self.refused(failure.message)
        return failure
