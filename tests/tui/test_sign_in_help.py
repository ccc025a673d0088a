"""The sign-in screen's forms for an emailed code, against the real server: Accept Invitation,
Forgot Password and Reset Password; each ends signed in with the password just set."""

from __future__ import annotations

import re

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.screens.sign_in_help import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    ResetPasswordForm,
)
from portal_tui.server import tables
from portal_tui.server.outbox import default_folder, filed
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.demo import DEMO_INVITATION_CODE, DEMO_SECONDARY_EMAIL
from tests import servers
from tests.tui.pilot import fill, make, palette, screen_text, until

NEW = "violet kettle drums sideways"


async def open_form(pilot: Pilot[None], label: str, form: type[object]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    await palette(pilot, label)
    await until(pilot, lambda: isinstance(pilot.app.screen, form))


def alex_access(db_url: str) -> LoginAccess:
    with servers.database(db_url) as db:
        guardians = db.scalars(
            select(tables.Guardian).where(tables.Guardian.first_name == "Alex")
        ).all()
        return guardians[0].login_access


async def test_accepting_the_invitation_signs_the_invitee_in(
    sqlite_url: str, server_url: str
) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, "Accept Invitation", AcceptInvitationForm)
        await fill(pilot, "#code", DEMO_INVITATION_CODE)
        await fill(pilot, "#password", NEW)
        await fill(pilot, "#confirm_password", NEW)
        await pilot.press("enter")
        await until(pilot, lambda: "Confirm that you are 18 or older." in screen_text(pilot))
        assert alex_access(sqlite_url) is LoginAccess.INVITE_SENT  # nothing sent yet

        app.screen.query_one("#adult", Checkbox).value = True
        await fill(pilot, "#code", "not-the-code")
        await pilot.press("enter")
        await until(pilot, lambda: "not valid" in screen_text(pilot))
        assert app.screen.query_one("#password", Input).value == NEW  # kept
        assert alex_access(sqlite_url) is LoginAccess.INVITE_SENT

        await fill(pilot, "#code", DEMO_INVITATION_CODE)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), seconds=20)
        await until(pilot, lambda: "Nguyen Family" in screen_text(pilot))
        await until(pilot, lambda: "Edit Student" in screen_text(pilot))  # the tab settled
    assert alex_access(sqlite_url) is LoginAccess.CAN_LOG_IN


async def test_a_weak_password_is_explained_as_it_is_typed(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, "Accept Invitation", AcceptInvitationForm)
        app.screen.query_one("#password", Input).focus()
        await pilot.press(*"short")
        await until(pilot, lambda: "Use at least 10 characters." in screen_text(pilot))
        await fill(pilot, "#confirm_password", "shorter")
        await until(pilot, lambda: "Type the same password again." in screen_text(pilot))


def mailed_code(to: str) -> str:
    [mail] = [m for m in filed(default_folder()) if m.to == to]
    found = re.search(r"^    (\S+)$", mail.body, re.MULTILINE)
    assert found
    return found.group(1)


async def test_forgot_password_then_reset_with_the_emailed_code(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#email"))
        await fill(pilot, "#email", DEMO_SECONDARY_EMAIL)
        await pilot.click("#forgot-password")
        await until(pilot, lambda: isinstance(app.screen, ForgotPasswordForm))
        assert app.screen.query_one("#email", Input).value == DEMO_SECONDARY_EMAIL
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ResetPasswordForm))
        await until(pilot, lambda: "a reset code is on" in screen_text(pilot))
        await until(pilot, lambda: filed(default_folder()))

        await fill(pilot, "#code", "wrong-code")
        await fill(pilot, "#new_password", NEW)
        await fill(pilot, "#confirm_password", NEW)
        await pilot.press("enter")
        await until(pilot, lambda: "not valid" in screen_text(pilot))

        await fill(pilot, "#code", mailed_code(DEMO_SECONDARY_EMAIL))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), seconds=20)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        await until(pilot, lambda: "Edit Student" in screen_text(pilot))  # the tab settled


async def test_a_bad_server_url_is_said_before_any_form_opens() -> None:
    app = make("")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await fill(pilot, "#server", "http://portal.example.com")
        await pilot.click("#reset-password")
        await until(pilot, lambda: "plain HTTP" in screen_text(pilot))
        assert isinstance(app.screen, LoginScreen)


async def test_forgot_password_checks_the_email_in_place_and_sends_nothing(
    server_url: str,
) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, "Forgot Password", ForgotPasswordForm)
        await fill(pilot, "#email", "sam.rivera@")
        await pilot.press("enter")
        await until(pilot, lambda: "Check the fields" in screen_text(pilot))
        assert isinstance(app.screen, ForgotPasswordForm)
        assert app.screen.query_one("#email", Input).value == "sam.rivera@"
    assert filed(default_folder()) == []
