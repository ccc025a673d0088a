"""A Rich renderable shown from lines rendered off the UI thread, and drawn a line at a time.

A report's table can hold thousands of rows; laid out as one Rich `Table` on the UI thread it
froze the app for seconds (4,000 rows: 3 s) at every paint and resize. Here the lines are
rendered once per width in a thread, and only the lines on screen are drawn.
"""

from __future__ import annotations

import asyncio

from rich.console import Console, RenderableType
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


def render_lines(renderable: RenderableType, width: int) -> list[Strip]:
    """`renderable` as lines `width` cells wide (a console of its own: safe in a thread)."""
    console = Console(width=width, force_terminal=True, color_system="truecolor")
    lines = console.render_lines(renderable, console.options, pad=True)
    return [Strip(line, width) for line in lines]


class RenderedLines(Widget):
    """Shows a renderable as tall as its lines; `show` renders them in a thread."""

    DEFAULT_CSS = "RenderedLines { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._renderable: RenderableType | None = None
        self._strips: list[Strip] = []
        self._width = 0

    async def show(self, renderable: RenderableType) -> None:
        """Render `renderable` at this widget's width (off the UI thread), then show it."""
        self._renderable = renderable
        await self._render_at(self._available_width())

    def _available_width(self) -> int:
        return self.content_region.width or max(20, self.app.size.width - 2)

    async def _render_at(self, width: int) -> None:
        renderable = self._renderable
        if renderable is None:
            return
        strips = await asyncio.to_thread(render_lines, renderable, width)
        if renderable is self._renderable:  # not replaced meanwhile
            self._strips, self._width = strips, width
            self.refresh(layout=True)

    def on_resize(self) -> None:
        width = self.content_region.width
        if width and width != self._width and self._renderable is not None:
            self.run_worker(self._render_at(width), group="render", exclusive=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips)

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y].crop(0, self.size.width)
        return Strip.blank(self.size.width)
