"""The cyclic garbage collector is paused while the app starts.

A launch imports Textual, pydantic and httpx and builds the first screen: hundreds of
thousands of objects, none of them garbage, which the collector would otherwise walk again
and again (about a tenth of the time to first rows, measured by `bench/tables.py`). Textual
pauses it the same way while it scrolls (`App.PAUSE_GC_ON_SCROLL`). Reference counting still
frees everything that is not in a cycle meanwhile.
"""

from __future__ import annotations

import gc


class _Pause:
    paused = False


def pause() -> None:
    """Pause the collector for a launch (nothing if something else has turned it off)."""
    if gc.isenabled():
        gc.disable()
        _Pause.paused = True


def resume() -> None:
    """Collect again: the first screen waits for the user (the sign-in form, or My Account's
    first view with its data or its error), or the app has ended. Nothing unless `pause`
    turned the collector off."""
    if _Pause.paused:
        _Pause.paused = False
        gc.enable()
