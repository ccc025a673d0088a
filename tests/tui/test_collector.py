"""The garbage collector is paused for a launch and collects again once the first screen
waits for the user: the sign-in form, or My Account's first view with its data."""

from __future__ import annotations

import gc
import socket
from collections.abc import Iterator

import pytest

from portal_tui import cli, collector, token_store
from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.screens.students import StudentsTab
from portal_tui.wire.demo import DEMO_EMAIL
from tests.conftest import MemoryKeyring
from tests.tui.pilot import make, open_account, screen_text, until


@pytest.fixture(autouse=True)
def collecting_afterwards() -> Iterator[None]:
    yield
    collector.resume()
    gc.enable()


@pytest.fixture
def resumed_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app showed each time it asked the collector to resume."""
    shown: list[str] = []
    resume = collector.resume

    def recording() -> None:
        from textual._context import active_app

        app = active_app.get(None)
        screen = app.screen if app is not None else None
        if screen is None:
            shown.append("no app")
        elif isinstance(screen, MainScreen):
            ready = screen.query_one(StudentsTab).ready
            shown.append("My Account, Students shown" if ready else "My Account, loading")
        elif isinstance(screen, LoginScreen):
            shown.append("sign-in form, busy" if screen.busy else "sign-in form")
        else:
            shown.append(type(screen).__name__)
        resume()

    monkeypatch.setattr(collector, "resume", recording)
    return shown


def test_pause_and_resume_leave_a_collector_turned_off_elsewhere_alone() -> None:
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()
    gc.disable()
    collector.pause()
    collector.resume()
    assert not gc.isenabled(), "resume turned on a collector that pause had not turned off"


async def test_the_sign_in_form_waiting_resumes_it(resumed_on: list[str]) -> None:
    collector.pause()
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, gc.isenabled)
        assert resumed_on[0] == "sign-in form"


async def test_a_saved_session_resumes_it_once_students_show(
    server_url: str, memory_keyring: MemoryKeyring, resumed_on: list[str]
) -> None:
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
    assert memory_keyring.store
    resumed_on.clear()
    collector.pause()
    again = make(server_url)
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, gc.isenabled)
        assert resumed_on[0] == "My Account, Students shown"
        assert "Ava Rivera" in screen_text(pilot)


async def test_a_resume_that_cannot_reach_the_portal_resumes_it(resumed_on: list[str]) -> None:
    with socket.socket() as sock:  # the saved session's portal is gone
        sock.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{sock.getsockname()[1]}"
    assert token_store.save(gone, DEMO_EMAIL, "a-saved-token")
    collector.pause()
    app = make(gone, email=DEMO_EMAIL)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "Cannot reach" in screen_text(pilot))
        await until(pilot, gc.isenabled)
        assert resumed_on[0] == "sign-in form"


def test_a_launch_that_ends_resumes_it() -> None:
    with pytest.raises(SystemExit):
        cli.main(["--no-such-flag"])
    assert gc.isenabled()
