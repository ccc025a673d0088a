"""Read a QR code back from what the app draws: as a camera would, from the screen's cells."""

from __future__ import annotations

import zxingcpp
from PIL import Image
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot

UPPER, LOWER = "▀█", "▄█"
"""The glyphs that light the upper or the lower module of a cell."""

SCALE = 8
MARGIN = 4


def cells(pilot: Pilot[None], region: Region, *, filtered: bool = False) -> list[list[Segment]]:
    """The screen's cells in `region`, one single-character Segment each; `filtered`: after
    the app's output filters (NO_COLOR's among them), as the terminal receives them."""
    strips = pilot.app.screen._compositor.render_strips()
    rows: list[list[Segment]] = []
    for strip in strips[region.y : region.bottom]:
        line = [Segment(c, s) for text, s, _ in strip for c in text][region.x : region.right]
        if filtered:
            for line_filter in pilot.app._filters:
                line = line_filter.apply(line, Color(0, 0, 0))
        rows.append(line)
    return rows


def _grey(color: object) -> int:
    assert color is not None, "the code must be drawn in explicit colours"
    r, g, b = color.get_truecolor()  # type: ignore[attr-defined]
    return (r * 299 + g * 587 + b * 114) // 1000


def modules_from_text(rows: list[list[Segment]]) -> list[list[int]]:
    """Greys (255 light) of each module, reading the glyph as the light module."""
    image: list[list[int]] = []
    for row in rows:
        image.append([255 if s.text in UPPER else 0 for s in row])
        image.append([255 if s.text in LOWER else 0 for s in row])
    return image


def modules_from_colours(rows: list[list[Segment]]) -> list[list[int]]:
    """Greys of each module from the colours the terminal is told to paint."""
    image: list[list[int]] = []
    for row in rows:
        for half in (UPPER, LOWER):
            line = []
            for s in row:
                assert s.style is not None
                color = s.style.color if s.text in half else s.style.bgcolor
                line.append(_grey(color))
            image.append(line)
    return image


def decode(modules: list[list[int]]) -> list[str]:
    """The texts of every QR code found in the module greys (scaled up, with a white margin,
    as a photo of the screen would be)."""
    height, width = len(modules), len(modules[0])
    image = Image.new("L", ((width + 2 * MARGIN) * SCALE, (height + 2 * MARGIN) * SCALE), 255)
    for y, line in enumerate(modules):
        for x, grey in enumerate(line):
            left, top = (x + MARGIN) * SCALE, (y + MARGIN) * SCALE
            image.paste(grey, (left, top, left + SCALE, top + SCALE))
    # No inverted reading: a code drawn light-on-dark by mistake must fail, as zbar would.
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False)
    return [result.text for result in found]
