"""Snapshots of two-step verification at 80×24, with the server's clock stopped and its new
keys and recovery codes pinned (in this test only): the Turn On form (the key as text, the
code field, the top of the QR code; the form scrolls), the recovery codes, and the Security
tab with it on."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pyotp
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from portal_tui.screens.security import SecurityTab
from portal_tui.screens.two_step import RecoveryCodesScreen, TurnOnTwoStepForm
from portal_tui.server.services import two_step as two_step_service
from tests.tui import two_step
from tests.tui.pilot import fill, make, open_account, palette, screen_text, sign_in, unfocus, until
from tests.tui.test_snapshots import fixed_clock

SIZE = (80, 24)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

__all__ = ["fixed_clock"]  # the stopped clock, as the other snapshots have it


@pytest.fixture
def pinned_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's new key is always SECRET, and its recovery codes count up."""
    monkeypatch.setattr(pyotp, "random_base32", lambda *args, **kwargs: SECRET)
    numbers = itertools.count(1)
    monkeypatch.setattr(
        two_step_service, "_new_recovery_code", lambda: f"code-{next(numbers):04d}-abcd-efgh"
    )


async def security_tab(pilot: Pilot[None]) -> SecurityTab:
    await pilot.press("5")
    tab = pilot.app.screen.query_one(SecurityTab)
    await until(pilot, lambda: tab.ready)
    return tab


async def open_turn_on(pilot: Pilot[None]) -> TurnOnTwoStepForm:
    await open_account(pilot)
    await security_tab(pilot)
    await palette(pilot, "Turn On Two-Step Verification")
    await until(pilot, lambda: isinstance(pilot.app.screen, TurnOnTwoStepForm))
    form = pilot.app.screen
    assert isinstance(form, TurnOnTwoStepForm)
    await until(pilot, lambda: form.setup is not None and not form.busy)
    form.query_one("#code", Input).cursor_blink = False
    return form


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "no-colour"])
@pytest.mark.usefixtures("fixed_clock", "pinned_keys")
def test_turn_on_form(
    snap_compare: Callable[..., bool],
    server_url: str,
    monkeypatch: pytest.MonkeyPatch,
    colour: bool,
) -> None:
    """Without colour, the code is the same characters: light modules are glyphs."""
    if not colour:
        monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot: Pilot[None]) -> None:
        await open_turn_on(pilot)
        await pilot.pause(0.2)

    assert snap_compare(make(server_url), terminal_size=SIZE, run_before=run_before)


@pytest.mark.usefixtures("fixed_clock", "pinned_keys")
def test_recovery_codes(snap_compare: Callable[..., bool], server_url: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_turn_on(pilot)
        await fill(pilot, "#code", two_step.app_code(SECRET))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, RecoveryCodesScreen))
        await pilot.pause(0.2)

    assert snap_compare(make(server_url), terminal_size=SIZE, run_before=run_before)


@pytest.mark.usefixtures("fixed_clock", "pinned_keys")
def test_security_tab_with_two_step_on(snap_compare: Callable[..., bool], server_url: str) -> None:
    two_step.turn_on(server_url)

    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot)
        await until(pilot, lambda: pilot.app.screen.query_one("#code").display)
        await fill(pilot, "#code", two_step.app_code(SECRET, steps_ahead=1))
        await pilot.press("enter")
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        await security_tab(pilot)
        await until(pilot, lambda: "Recovery codes left: 10" in screen_text(pilot))
        await unfocus(pilot)

    assert snap_compare(make(server_url), terminal_size=SIZE, run_before=run_before)
