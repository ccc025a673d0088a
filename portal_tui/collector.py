"""The cyclic garbage collector is paused while the app starts.

A launch imports Textual, pydantic and httpx and builds the first screen: about 100,000
objects that live as long as the app, which the collector would walk pass after pass while
the user waits. Paused, it makes fewer passes, and those after the first screen is up, while
the user reads it: launch → first rows of the ledger table went from 1.48× to 1.40× a bare
Textual app's paint (`bench/tables.py`, 15 launches each). Reference counting still frees
everything outside a cycle meanwhile. Textual offers the same pause while scrolling
(`App.PAUSE_GC_ON_SCROLL`, off by default).

Nothing is frozen (`gc.freeze`): what is alive when the first screen is up includes that
screen, and a frozen screen's widgets could never be collected once the user leaves it.
"""

from __future__ import annotations

import gc


class _Pause:
    paused = False
    """Whether `pause` turned the collector off (so `resume` turns it back on)."""


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
