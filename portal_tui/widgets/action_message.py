"""One line under a view saying how its last action went: done, or why not and what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from textual.screen import Screen
from textual.widgets import Static

from portal_tui.messages import SessionEnded
from portal_tui.widgets.failures import Failure, Remedy, explain
from portal_tui.widgets.safe import safe

_KEPT: WeakKeyDictionary[Screen[Any], dict[str, tuple[str, bool]]] = WeakKeyDictionary()
"""Per screen, the last outcome of each kept line (text, is an error)."""


class ActionMessage(Static):
    """Empty until an action finishes; an error reads as one (in words, not only colour).

    The rule for every view: an action's outcome, success included, is said here. A view is
    rebuilt after a write (it loads again), so a line given a `keep` key (the view and its
    student) keeps its last outcome on the screen and says it again when built anew.
    """

    DEFAULT_CSS = """
    ActionMessage { height: auto; }
    ActionMessage.-error { color: $text-error; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, keep: str | None = None) -> None:
        super().__init__("", id=id)
        self.keep = keep
        self.display = False

    def on_mount(self) -> None:
        kept = _KEPT.get(self.screen, {}).get(self.keep) if self.keep else None
        if kept is not None:
            self._say(*kept)

    def done(self, text: str) -> None:
        """What happened (or what is under way)."""
        self._say(text, False)

    def refused(self, text: str) -> None:
        """Why nothing was done."""
        self._say(text, True)

    def clear(self) -> None:
        self._say("", False)

    def _say(self, text: str, error: bool) -> None:
        self.set_class(error, "-error")
        self.update(safe(text))
        self.display = bool(text)
        if self.keep is not None and self.is_attached:
            _KEPT.setdefault(self.screen, {})[self.keep] = (text, error)

    def failed(
        self,
        error: BaseException | None,
        *,
        resume: Callable[[], None],
        unchanged: str = "",
    ) -> Failure:
        """Say what went wrong as the failure policy reads it, then `unchanged` (what was not
        done); an ended session asks the user to sign in again, then runs `resume`."""
        failure = explain(error)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=resume))
        details = [text for text in failure.fields.values() if text != failure.message]
        self.refused(" ".join(part for part in (failure.message, *details, unchanged) if part))
        return failure
