"""`Choice`: Textual's `Select`, safe to mount while the screen is still being built.

Textual 8.2's `Select` sets its value on mount and writes it into its current-value
label at once; when that label has not mounted yet the query raises `NoMatches` and the
app ends with a traceback (Textual issue #6581, open as of 8.2.8). It strikes at random
when a tab or form builds a `Select` while other work runs. `Choice` keeps the value
until the label exists and shows it then. Every drop-down in the app is a `Choice`;
ruff's banned-api rule keeps `textual.widgets.Select` out of the rest of the code.
"""

from __future__ import annotations

from typing import TypeVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.widgets import Select  # noqa: TID251 - the one place that wraps it
from textual.widgets._select import SelectCurrent
from textual.widgets.select import NoSelection

T = TypeVar("T")


class CurrentLine(SelectCurrent):
    """The current-value line; a value given before its label exists is shown on mount."""

    def update(self, label: RenderableType | NoSelection) -> None:
        if self.query("#label"):
            super().update(label)
        else:
            self.label = label
            self.has_value = label is not Select.NULL

    def on_mount(self) -> None:
        super().update(self.label)


class Choice(Select[T]):
    """A `Select` whose start-up cannot race its own children."""

    def compose(self) -> ComposeResult:
        for part in super().compose():
            yield CurrentLine(self.prompt) if type(part) is SelectCurrent else part
