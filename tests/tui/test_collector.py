"""The garbage collector is paused for a launch and collects again once the first screen
waits for the user: the sign-in form, or My Account's first view with its data or error."""

from __future__ import annotations

import gc
import socket
from collections.abc import Iterator

import pytest
from textual.app import App

from portal_tui import cli, collector, token_store
from portal_tui.api.errors import ServerUnreachable
from portal_tui.app import PortalApp
from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.screens.students import StudentsTab
from portal_tui.wire.demo import DEMO_EMAIL
from tests.conftest import MemoryKeyring
from tests.tui.pilot import make, open_account, screen_text, until


class Resumes:
    """What `app` showed each time it asked the collector to collect again."""

    def __init__(self) -> None:
        self.app: App[None] | None = None
        self.shown: list[str] = []

    def launch(self, app: PortalApp) -> PortalApp:
        """Pause the collector, as `portal-tui` does before the app starts."""
        self.app = app
        self.shown.clear()
        collector.pause()
        return app

    def describe(self) -> str:
        screen = self.app.screen if self.app is not None else None
        if isinstance(screen, MainScreen):
            ready = screen.query_one(StudentsTab).ready
            return "My Account, with data" if ready else "My Account, without data"
        if isinstance(screen, LoginScreen):
            return "sign-in form, busy" if screen.busy else "sign-in form"
        return type(screen).__name__


@pytest.fixture
def resumes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Resumes]:
    record = Resumes()
    resume = collector.resume

    def recording() -> None:
        record.shown.append(record.describe())
        resume()

    monkeypatch.setattr(collector, "resume", recording)
    yield record
    resume()
    gc.enable()


async def remembered_session(server_url: str) -> None:
    """Sign in once, so the next launch resumes the saved session."""
    async with make(server_url).run_test(size=(120, 40)) as pilot:
        await open_account(pilot)


def test_pause_and_resume_leave_a_collector_turned_off_elsewhere_alone() -> None:
    try:
        collector.pause()
        assert not gc.isenabled()
        collector.resume()
        assert gc.isenabled()
        gc.disable()
        collector.pause()
        collector.resume()
        assert not gc.isenabled(), "resume turned on a collector that pause had not turned off"
    finally:
        gc.enable()


async def test_the_sign_in_form_waiting_resumes_it(resumes: Resumes) -> None:
    app = resumes.launch(make())
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, gc.isenabled)
        assert resumes.shown[0] == "sign-in form"


async def test_a_saved_session_resumes_it_once_my_account_shows_data(
    server_url: str, memory_keyring: MemoryKeyring, resumes: Resumes
) -> None:
    await remembered_session(server_url)
    assert memory_keyring.store
    app = resumes.launch(make(server_url))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, gc.isenabled)
        assert resumes.shown[0] == "My Account, with data"
        assert "Ava Rivera" in screen_text(pilot)


async def test_a_first_view_that_fails_resumes_it(
    server_url: str, resumes: Resumes, monkeypatch: pytest.MonkeyPatch
) -> None:
    await remembered_session(server_url)

    async def unreachable(self: StudentsTab) -> None:
        raise ServerUnreachable(server_url, "the connection failed")

    monkeypatch.setattr(StudentsTab, "fetch", unreachable)
    app = resumes.launch(make(server_url))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, gc.isenabled)
        assert resumes.shown[0] == "My Account, without data"
        await until(pilot, lambda: "Cannot reach" in screen_text(pilot))


async def test_a_resume_that_cannot_reach_the_portal_resumes_it(resumes: Resumes) -> None:
    with socket.socket() as sock:  # the saved session's portal is gone
        sock.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{sock.getsockname()[1]}"
    assert token_store.save(gone, DEMO_EMAIL, "a-saved-token")
    app = resumes.launch(make(gone, email=DEMO_EMAIL))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "Cannot reach" in screen_text(pilot))
        await until(pilot, gc.isenabled)
        assert resumes.shown[0] == "sign-in form"


def test_a_launch_that_ends_resumes_it() -> None:
    try:
        with pytest.raises(SystemExit):
            cli.main(["--no-such-flag"])
        assert gc.isenabled()
    finally:
        gc.enable()
