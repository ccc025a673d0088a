"""The command palette's view commands: one per view and action of the current screen.

Labels can hold text from the server (a location's name): they are shown through the UI's
one sanitizer, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from portal_tui.widgets.safe import plain, safe


@dataclass(frozen=True)
class PaletteCommand:
    """A command named by the label users know."""

    label: str
    help: str
    callback: Callable[[], object]


@runtime_checkable
class HasPaletteCommands(Protocol):
    def palette_commands(self) -> Iterable[PaletteCommand]: ...


def _highlight(matcher: Matcher, label: str) -> Content:
    """`label` as plain Content with the letters the query matched highlighted."""
    content = safe(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, content.plain)
    for offset in offsets:
        if not content.plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(command: PaletteCommand) -> str:
    """The palette reads help text as markup: escape it."""
    return escape(plain(command.help))


class ViewCommands(Provider):
    """Offers the current screen's `palette_commands()`."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        return list(screen.palette_commands()) if isinstance(screen, HasPaletteCommands) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(
                safe(command.label),
                command.callback,
                text=plain(command.label),
                help=_help(command),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            label = plain(command.label)
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, label),
                    command.callback,
                    text=label,
                    help=_help(command),
                )
