"""Two-step verification from the Security tab against the real server at 80×24: turning it
on (the key shown, a wrong first code said in place, the recovery codes shown once) and off
(a wrong password said under it, then off after a confirmation)."""

from __future__ import annotations

import re

from textual.pilot import Pilot
from textual.widgets import Input

from portal_tui.screens.security import SecurityTab
from portal_tui.screens.two_step import (
    NewRecoveryCodesForm,
    RecoveryCodesScreen,
    TurnOffTwoStepForm,
    TurnOnTwoStepForm,
    grouped,
)
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.demo import DEMO_PASSWORD
from tests.tui import two_step
from tests.tui.pilot import fill, make, palette, screen_text, sign_in, until

SIZE = (80, 24)


async def open_turn_on(pilot: Pilot[None]) -> TurnOnTwoStepForm:
    await palette(pilot, "Turn On Two-Step Verification")
    await until(pilot, lambda: isinstance(pilot.app.screen, TurnOnTwoStepForm))
    form = pilot.app.screen
    assert isinstance(form, TurnOnTwoStepForm)
    await until(pilot, lambda: form.setup is not None and not form.busy)
    return form


async def security_after_a_recovery_code(pilot: Pilot[None], on: two_step.TwoStepOn) -> None:
    """Sign in with the first recovery code, then open the Security tab (nine codes left)."""
    await sign_in(pilot)
    await until(pilot, lambda: pilot.app.screen.query_one("#code").display)
    await fill(pilot, "#code", on.recovery_codes[0])
    await pilot.press("enter")
    await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
    await pilot.press("5")
    tab = pilot.app.screen.query_one(SecurityTab)
    await until(pilot, lambda: tab.ready and "Recovery codes left: 9" in screen_text(pilot))


def shown_key(pilot: Pilot[None]) -> str:
    """The key as the form shows it for typing (groups of four), without the spaces."""
    found = re.search(r"Key  ((?:[A-Z2-7]{4} ?)+)", screen_text(pilot))
    assert found, screen_text(pilot)
    return found.group(1).replace(" ", "")


async def test_turn_on_shows_the_key_takes_the_first_code_and_shows_the_recovery_codes(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    assert "Off: signing in needs only your password." in screen_text(pilot)
    form = await open_turn_on(pilot)
    secret = shown_key(pilot)
    assert form.setup is not None and secret == form.setup.secret
    assert grouped(secret) in screen_text(pilot)
    assert form.query("#two-step-qr-code")  # the QR code, below the code field
    await fill(pilot, "#code", two_step.app_code(secret))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, RecoveryCodesScreen))
    codes = pilot.app.screen
    assert isinstance(codes, RecoveryCodesScreen) and len(codes.codes) == 10
    text = screen_text(pilot)
    assert "Save these recovery codes now" in text and "will not be" in text
    assert all(code in text for code in codes.codes)
    await pilot.press("escape")  # only its button closes it
    assert pilot.app.screen is codes
    await pilot.click("#saved")
    await until(pilot, lambda: tab.ready and "Recovery codes left: 10" in screen_text(pilot))
    await until(pilot, lambda: "On since " in screen_text(pilot))
    assert two_step.is_on(server_url)


async def test_a_wrong_first_code_is_said_under_it_kept_and_nothing_turns_on(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, _tab = security
    form = await open_turn_on(pilot)
    assert form.setup is not None
    wrong = two_step.a_wrong_code(form.setup.secret)
    await fill(pilot, "#code", "12 34")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Enter the 6 digits the app shows" in screen_text(pilot))
    await fill(pilot, "#code", wrong)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "The code is not right" in screen_text(pilot))
    assert pilot.app.screen is form
    assert form.query_one("#code", Input).value == wrong  # kept
    assert not two_step.is_on(server_url)


async def test_turn_off_asks_for_the_password_and_a_code_then_confirms(
    server_url: str,
) -> None:
    on = two_step.turn_on(server_url)
    async with make(server_url).run_test(size=SIZE) as pilot:
        await security_after_a_recovery_code(pilot, on)
        await palette(pilot, "Turn Off Two-Step Verification")
        await until(pilot, lambda: isinstance(pilot.app.screen, TurnOffTwoStepForm))
        form = pilot.app.screen
        code = two_step.app_code(on.secret, steps_ahead=1)
        await fill(pilot, "#password", "not my password")
        await fill(pilot, "#code", code)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        assert "Turn off two-step verification for" in screen_text(pilot)
        await pilot.click("#confirm")
        await until(pilot, lambda: "The password is not right" in screen_text(pilot))
        assert pilot.app.screen is form and form.query_one("#code", Input).value == code
        assert two_step.is_on(server_url)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await until(pilot, lambda: "Off: signing in needs only" in screen_text(pilot))
        assert not two_step.is_on(server_url)


async def test_new_recovery_codes_replace_the_old_ones(server_url: str) -> None:
    on = two_step.turn_on(server_url)
    async with make(server_url).run_test(size=SIZE) as pilot:
        await security_after_a_recovery_code(pilot, on)
        await palette(pilot, "New Recovery Codes")
        await until(pilot, lambda: isinstance(pilot.app.screen, NewRecoveryCodesForm))
        form = pilot.app.screen
        await fill(pilot, "#password", DEMO_PASSWORD)
        await fill(pilot, "#code", two_step.a_wrong_code(on.secret))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "The code is not right" in screen_text(pilot))
        assert pilot.app.screen is form
        await fill(pilot, "#code", on.recovery_codes[1])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, RecoveryCodesScreen))
        shown = pilot.app.screen
        assert isinstance(shown, RecoveryCodesScreen) and len(shown.codes) == 10
        assert "New recovery codes" in screen_text(pilot)
        await pilot.click("#saved")
        await until(pilot, lambda: "Recovery codes left: 10" in screen_text(pilot))
    assert set(shown.codes).isdisjoint(on.recovery_codes)
