"""Signing in to an account with two-step verification on, against the real server: the
portal asks for a code, and the login screen (or the sign-in-again dialog) asks the user for
it, keeping the email and password; a wrong code is said in place."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from portal_tui.api.client import PortalClient
from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.screens.sign_in_again import SignInAgainScreen
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.tui import two_step
from tests.tui.pilot import fill, make, screen_text, sign_in, until

SIZE = (80, 24)


async def asked_for_a_code(pilot: Pilot[None]) -> LoginScreen:
    """Sign in with the right password; the login screen then asks for the code."""
    await sign_in(pilot)
    login = pilot.app.screen
    assert isinstance(login, LoginScreen)
    code = login.query_one("#code", Input)
    await until(pilot, lambda: code.has_focus and "uses two-step" in screen_text(pilot))
    assert "incorrect" not in screen_text(pilot)
    assert login.query_one("#email", Input).value == DEMO_EMAIL
    assert login.query_one("#password", Input).value == DEMO_PASSWORD  # kept
    return login


async def test_sign_in_with_the_apps_code(server_url: str) -> None:
    on = two_step.turn_on(server_url)
    async with make(server_url).run_test(size=SIZE) as pilot:
        await asked_for_a_code(pilot)
        await pilot.press(*two_step.app_code(on.secret, steps_ahead=1), "enter")
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        assert isinstance(pilot.app.screen, MainScreen)


async def test_sign_in_with_a_recovery_code(server_url: str) -> None:
    on = two_step.turn_on(server_url)
    async with make(server_url).run_test(size=SIZE) as pilot:
        await asked_for_a_code(pilot)
        await fill(pilot, "#code", on.recovery_codes[3].upper())  # as typed from paper
        await pilot.press("enter")
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))


async def test_a_wrong_code_is_said_in_place_and_everything_typed_stays(server_url: str) -> None:
    on = two_step.turn_on(server_url)
    wrong = two_step.a_wrong_code(on.secret)
    async with make(server_url).run_test(size=SIZE) as pilot:
        login = await asked_for_a_code(pilot)
        await fill(pilot, "#code", wrong)
        await pilot.press("enter")
        await until(pilot, lambda: "The code is not right" in screen_text(pilot))
        assert pilot.app.screen is login
        values = [login.query_one(f"#{n}", Input).value for n in ("email", "password", "code")]
        assert values == [DEMO_EMAIL, DEMO_PASSWORD, wrong]
        await fill(pilot, "#code", two_step.app_code(on.secret, steps_ahead=1))
        await pilot.press("enter")
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))


async def test_signing_in_again_asks_for_a_code_too(server_url: str) -> None:
    on = two_step.turn_on(server_url)
    async with make(server_url).run_test(size=SIZE) as pilot:
        await asked_for_a_code(pilot)
        await fill(pilot, "#code", on.recovery_codes[0])
        await pilot.press("enter")
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        other = PortalClient(screen.portal.server, token=screen.portal.client.token)
        await other.logout()
        await other.aclose()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(pilot.app.screen, SignInAgainScreen))
        dialog = pilot.app.screen
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        code = dialog.query_one("#code", Input)
        await until(pilot, lambda: code.display and "uses two-step" in screen_text(pilot))
        assert dialog.query_one("#password", Input).value == DEMO_PASSWORD
        await fill(pilot, "#code", on.recovery_codes[1])
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is screen)
