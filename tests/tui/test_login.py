"""Signing in, failing to, resuming, and the keyring message."""

from __future__ import annotations

import socket

import httpx
import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.widgets.form import FormField
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import MemoryKeyring
from tests.tui.pilot import make, open_account, screen_text, sign_in, sign_out, type_into, until


async def test_good_sign_in_shows_my_account(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        assert "Jordan Rivera" in screen_text(pilot)


async def test_wrong_password_keeps_the_email(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, password="not-the-password")
        await until(pilot, lambda: "incorrect" in screen_text(pilot))
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL
        assert app.screen.query_one("#server", Input).value == server_url
        password = app.screen.query_one("#field-password", FormField)
        assert password.control.has_focus and not app.screen.query_one("#password", Input).value
        assert "Check it, or the email." in screen_text(pilot)  # under the password
        await pilot.press("x")  # typing again clears it
        await until(pilot, lambda: "Check it, or the email." not in screen_text(pilot))


async def test_missing_fields_are_named_under_each(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#email"))
        app.screen.query_one("#email", Input).value = ""
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: "Enter your email." in screen_text(pilot))
        assert "Enter your password." in screen_text(pilot)
        assert app.screen.query_one("#email", Input).has_focus


async def test_unreachable_server_names_it_and_offers_retry() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = make(url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: "Cannot reach" in screen_text(pilot))
        assert url in screen_text(pilot)
        assert "Retry" in screen_text(pilot)
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL


async def test_plain_http_to_another_host_is_refused_in_the_form() -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#server"))
        app.screen.query_one("#server", Input).value = "http://portal.example.com"
        await sign_in(pilot)
        await until(pilot, lambda: "plain HTTP" in screen_text(pilot))


async def test_saved_session_resumes(server_url: str, memory_keyring: MemoryKeyring) -> None:
    first = make(server_url)
    async with first.run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        northside = next(loc.id for loc in screen.portal.locations if loc.name == "Northside")
        assert screen.location_id != northside
        screen.location_id = northside
        await pilot.pause(0.2)
    assert memory_keyring.store, "the token was not kept in the keyring"
    again = make(server_url)
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        assert isinstance(again.screen, MainScreen)
        assert again.screen.location_id == northside, "the last location was not remembered"


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring, keyring.backends.null.Keyring], ids=["fail", "null"]
)
async def test_no_keyring_says_once_it_will_not_be_remembered(
    server_url: str, backend: type[keyring.backend.KeyringBackend]
) -> None:
    keyring.set_keyring(backend())
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        shown = [n.message for n in app._notifications]
        assert sum("will not be remembered" in m for m in shown) == 1


async def test_sign_out_forgets_the_session(server_url: str, memory_keyring: MemoryKeyring) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_account(pilot)
        screen.query_one("#tabs", TabbedContent).active = "security"
        await pilot.pause()
        await pilot.click("#sign-out")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
    assert not memory_keyring.store


async def test_after_sign_out_keys_go_to_the_password(server_url: str) -> None:
    """The known email is not focused (with its text selected) for the next key to replace."""
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        login = await sign_out(pilot)
        password = login.query_one("#password", Input)
        await until(pilot, lambda: password.has_focus)
        await pilot.press(*"demo")
        assert password.value == "demo"
        assert login.query_one("#email", Input).value == DEMO_EMAIL


async def asked_to_sign_in_again(pilot: Pilot[None]) -> MainScreen:
    """My Account open, its session revoked elsewhere, then Ctrl+R: the app asks again."""
    from portal_tui.api.client import PortalClient
    from portal_tui.screens.sign_in_again import SignInAgainScreen

    screen = await open_account(pilot)
    other = PortalClient(screen.portal.server, token=screen.portal.client.token)
    await other.logout()
    await other.aclose()
    await pilot.press("ctrl+r")
    await until(pilot, lambda: isinstance(pilot.app.screen, SignInAgainScreen))
    return screen


async def test_an_ended_session_asks_for_the_password_and_carries_on(server_url: str) -> None:
    from portal_tui.screens.tab import AccountTab

    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await asked_to_sign_in_again(pilot)
        assert "session has ended" in screen_text(pilot)
        await type_into(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        tab = screen.active_tab()
        await until(pilot, lambda: isinstance(tab, AccountTab) and tab.ready)
        assert not tab.query(".tab-error")


async def test_declining_to_sign_in_again_returns_to_sign_in(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await asked_to_sign_in_again(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await until(pilot, lambda: "session had ended" in screen_text(pilot))
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL


async def test_the_last_server_is_offered_and_resumed(server_url: str) -> None:
    first = make(server_url)
    async with first.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
    again = make()  # no --server this time
    async with again.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot), seconds=20)
        assert isinstance(again.screen, MainScreen)
        assert again.screen.portal.server == server_url


async def test_enter_while_signing_in_starts_nothing_new(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await pilot.press("enter")  # a second Enter while the first is under way
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        assert "not a server URL" not in screen_text(pilot)


async def test_another_api_version_is_a_clear_message(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This app pretends to speak API version 3 to a server speaking version 2."""
    from portal_tui.api import client

    monkeypatch.setattr(client, "API_VERSION", "3")
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await until(pilot, lambda: "API version 2" in screen_text(pilot))
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL


async def test_signing_in_again_refuses_an_empty_or_wrong_password_in_place(
    server_url: str,
) -> None:
    from portal_tui.screens.sign_in_again import SignInAgainScreen

    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await asked_to_sign_in_again(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: "Enter your password." in screen_text(pilot))
        await type_into(pilot, "#password", "not-the-password")
        await pilot.press("enter")
        await until(pilot, lambda: "incorrect" in screen_text(pilot))
        dialog = app.screen
        assert isinstance(dialog, SignInAgainScreen) and not dialog.busy
        assert dialog.query_one("#password", Input).value == ""
        await type_into(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("remembered", [False, True], ids=["no-keyring", "keyring"])
async def test_quitting_ends_a_session_no_keyring_kept(
    server_url: str, memory_keyring: MemoryKeyring, remembered: bool
) -> None:
    if not remembered:
        keyring.set_keyring(keyring.backends.null.Keyring())
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        assert app.family is not None
        token = app.family.portal.client.token
        await pilot.press("ctrl+q")
    async with httpx.AsyncClient(base_url=f"{server_url}/api/v1") as http:
        me = await http.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == (200 if remembered else 401)
