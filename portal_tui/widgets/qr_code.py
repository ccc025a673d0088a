"""A QR code drawn in the terminal with half blocks, readable by a phone from the screen.

Each character cell holds two modules, one above the other. The glyph is the light module
(█ both, ▀ the upper, ▄ the lower, space neither) drawn white on black, so the code has the
right polarity on any terminal theme: explicit colours carry it, and under NO_COLOR Textual
keeps black and white as they are (or, with an ANSI theme, falls back to the terminal's own
light-on-dark). The 4-module quiet zone is part of the drawing.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

QUIET_ZONE = 4
"""Light modules around the code, as the QR standard asks."""

LIGHT, DARK = "#ffffff", "#000000"
STYLE = Style(color=LIGHT, bgcolor=DARK)
"""The glyphs are light modules; the cell's background is the dark ones."""

GLYPHS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
"""(upper module light, lower module light) → the character drawn."""


def qr_lines(data: str, *, error: str = "M") -> list[str]:
    """The code for `data` as text lines, two module rows per line, quiet zone included.

    `error` is the lowest error correction level wanted (L, M, Q, H); a higher one is used
    when it fits the same version. Below the last module row, the quiet zone goes on.
    """
    import segno  # loaded when a code is first drawn, not with the screens that may draw one

    code = segno.make(data, error=error, micro=False)
    rows = [[not dark for dark in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))
    return [
        "".join(GLYPHS[upper, lower] for upper, lower in zip(top, bottom, strict=True))
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


class QRCode(Widget):
    """`data` as a QR code, exactly as large as the code (one cell per module column)."""

    DEFAULT_CSS = """
    QRCode { width: auto; height: auto; }
    """

    def __init__(
        self, data: str, *, error: str = "M", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.error = error
        self.lines = qr_lines(data, error=error)
        """The drawing, one string a terminal row."""

    def show(self, data: str) -> None:
        """Draw the code for new `data`."""
        self.lines = qr_lines(data, error=self.error)
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.lines[0])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        if y >= len(self.lines):
            return Strip.blank(self.size.width)
        line = self.lines[y]
        return Strip([Segment(line, STYLE)], len(line))
