"""`--demo`: a private seeded server as a child process, signed in, ended with the app."""

from __future__ import annotations

import asyncio
import time

from textual.widgets import Input

from portal_tui.screens.main import MainScreen
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import MemoryKeyring
from tests.tui.pilot import make, screen_text, sign_out, until


def alive(pid: int) -> bool:
    """True while the process runs (a zombie awaiting its reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


async def test_demo_signs_in_and_ends_its_server(memory_keyring: MemoryKeyring) -> None:
    app = make(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#demo-credentials"))
        shown = screen_text(pilot)
        assert DEMO_EMAIL in shown and DEMO_PASSWORD in shown
        await until(pilot, lambda: isinstance(app.screen, MainScreen), seconds=30)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        assert app.demo is not None and app.demo.pid is not None
        pid = app.demo.pid
        assert alive(pid)
    assert not memory_keyring.store, "a demo token must never be stored"
    assert await asyncio.to_thread(ends_within, pid, 5.0), "the demo server outlived the app"


async def test_signing_out_of_the_demo_keeps_its_hint() -> None:
    """Back on the login screen the demo's credentials still show; nothing signs in by itself."""
    app = make(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MainScreen), seconds=30)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        login = await sign_out(pilot)
        assert not login.busy, "signing out must not sign in again"
        await until(pilot, lambda: DEMO_EMAIL in screen_text(pilot))
        assert DEMO_PASSWORD in screen_text(pilot) and login.query("#demo-credentials")
        password = login.query_one("#password", Input)
        await until(pilot, lambda: password.has_focus)
        await pilot.press(*DEMO_PASSWORD, "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
