"""The Security tab against the real server at 80×24: Change Password (the strength reason
as the user types, the server's refusal under its field with everything typed kept, other
sessions ended), and the session list (sign out one, or every other)."""

from __future__ import annotations

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from portal_tui.screens.change_password import ChangePasswordForm
from portal_tui.screens.security import SecurityTab, SessionTable
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.tui.api import Api
from tests.tui.pilot import fill, palette, screen_text, until

NEW = "violet kettle drums sideways"


def signs_in(url: str, password: str) -> bool:
    body = {"email": DEMO_EMAIL, "password": password}
    return httpx.post(f"{url}/api/v1/auth/login", json=body).status_code == 200


def notified(pilot: Pilot[None], message: str) -> bool:
    return any(n.message == message for n in pilot.app._notifications)


def still_signed_in(api: Api) -> bool:
    return api.http.get("/auth/me").status_code == 200


async def highlight_the_other_session(pilot: Pilot[None], tab: SecurityTab) -> None:
    """Read the list again (a session was made elsewhere) and highlight that other one."""
    await pilot.press("ctrl+r")
    await until(pilot, lambda: tab.ready and "Sessions: 2" in screen_text(pilot))
    table = tab.query_one(SessionTable)
    table.focus()
    table.move_cursor(row=next(i for i, s in enumerate(tab._sessions) if not s.current))


async def open_form(pilot: Pilot[None]) -> ChangePasswordForm:
    await palette(pilot, "Change Password")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChangePasswordForm))
    form = pilot.app.screen
    assert isinstance(form, ChangePasswordForm)
    return form


async def test_change_password_ends_the_other_sessions_and_keeps_this_one(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    elsewhere = Api(server_url)
    await open_form(pilot)
    await fill(pilot, "#current_password", DEMO_PASSWORD)
    await fill(pilot, "#new_password", NEW)
    await fill(pilot, "#confirm_password", NEW)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: notified(pilot, "Password changed. 1 other session signed out."))
    assert not still_signed_in(elsewhere)
    assert signs_in(server_url, NEW) and not signs_in(server_url, DEMO_PASSWORD)
    await until(pilot, lambda: tab.ready and "Sessions: " in screen_text(pilot))
    assert "This" in screen_text(pilot)  # this session carries on


async def test_a_weak_password_is_named_as_it_is_typed_and_nothing_is_sent(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, _tab = security
    form = await open_form(pilot)
    await fill(pilot, "#current_password", DEMO_PASSWORD)
    await pilot.press("tab", *"password123")
    await until(pilot, lambda: "Too easy to guess" in screen_text(pilot))
    await fill(pilot, "#confirm_password", "password124")
    await until(pilot, lambda: "Type the same password again" in screen_text(pilot))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Check the fields" in screen_text(pilot))
    assert pilot.app.screen is form
    assert form.query_one("#new_password", Input).value == "password123"  # kept
    assert signs_in(server_url, DEMO_PASSWORD)


async def test_a_wrong_current_password_is_said_under_it_and_everything_is_kept(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, _tab = security
    form = await open_form(pilot)
    await fill(pilot, "#current_password", "not my password")
    await fill(pilot, "#new_password", NEW)
    await fill(pilot, "#confirm_password", NEW)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "The current password is not right" in screen_text(pilot))
    assert pilot.app.screen is form
    values = [
        form.query_one(f"#{name}", Input).value for name in ("new_password", "confirm_password")
    ]
    assert values == [NEW, NEW]
    assert signs_in(server_url, DEMO_PASSWORD) and not signs_in(server_url, NEW)


async def test_sign_out_one_session_from_the_list(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    elsewhere = Api(server_url)
    await highlight_the_other_session(pilot, tab)
    await pilot.press("delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: "Sessions: 1" in screen_text(pilot))
    assert not still_signed_in(elsewhere)


async def test_sign_out_all_other_sessions(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    others = [Api(server_url), Api(server_url)]
    await pilot.press("ctrl+r")
    await until(pilot, lambda: tab.ready and "Sessions: 3" in screen_text(pilot))
    await palette(pilot, "Sign Out All Other Sessions")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: notified(pilot, "2 other sessions signed out."))
    await until(pilot, lambda: "Sessions: 1" in screen_text(pilot))
    assert not any(still_signed_in(api) for api in others)


async def test_delete_on_this_session_asks_first(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    table = tab.query_one(SessionTable)
    table.focus()
    await pilot.press("delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    assert "Sign out this session?" in screen_text(pilot)
    await pilot.press("escape")  # Keep
    await until(pilot, lambda: not isinstance(pilot.app.screen, ConfirmScreen))
    assert pilot.app.screen.query_one(SecurityTab) is tab


async def test_a_session_that_ended_meanwhile_is_said_and_the_list_read_again(
    server_url: str, security: tuple[Pilot[None], SecurityTab]
) -> None:
    pilot, tab = security
    elsewhere = Api(server_url)
    await highlight_the_other_session(pilot, tab)
    assert "Sign Out All Other Sessions" in [c.label for c in tab.palette_commands()]
    elsewhere.http.post("/auth/logout")  # it ends on its own before the user confirms
    await pilot.press("delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: notified(pilot, "No such session: it may have ended already."))
    await until(pilot, lambda: tab.ready and "Sessions: 1" in screen_text(pilot))
    assert "Sign Out All Other Sessions" not in [c.label for c in tab.palette_commands()]
