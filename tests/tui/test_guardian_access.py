"""The primary guardian's control of the other guardians' sign-ins on the Account Info tab,
against the real server: the access indicator, Send and Re-Send Invite Email, Revoke and
Reset Password; a secondary guardian is offered none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Button, Input

from portal_tui.screens.guardian_access import InviteForm
from portal_tui.server import tables
from portal_tui.server.outbox import default_folder, filed
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.demo import (
    DEMO_INVITED_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECONDARY_EMAIL,
    OTHER_FAMILY_EMAIL,
)
from tests import servers
from tests.tui.pilot import fill, make, open_account, palette, screen_text, sign_in, until


def access_of(db_url: str, first_name: str) -> LoginAccess:
    with servers.database(db_url) as db:
        guardian = db.scalars(
            select(tables.Guardian).where(tables.Guardian.first_name == first_name)
        ).one()
        return guardian.login_access


def notified(pilot: Pilot[None], text: str) -> bool:
    return any(text in str(n.message) for n in pilot.app._notifications)


async def account_info(pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await until(
        pilot, lambda: "Add Guardian" in screen_text(pilot) or "Guardian ·" in screen_text(pilot)
    )
    await until(pilot, lambda: pilot.app.screen.query(".guardian"))


async def test_revoking_a_guardian_who_signs_in_asks_first_then_signs_them_out(
    sqlite_url: str, server_url: str
) -> None:
    app = make(server_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_account(pilot)
        await account_info(pilot)
        assert "Guardian · Can Log In" in screen_text(pilot)
        sam_id = next(
            int(b.id.rsplit("-", 1)[1])
            for b in app.screen.query(Button)
            if b.id and "revoke" in b.id
        )
        await pilot.click(f"#access-revoke-{sam_id}")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "be signed out" in screen_text(pilot)
        await pilot.press("escape")  # Keep: nothing happens
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert access_of(sqlite_url, "Sam") is LoginAccess.CAN_LOG_IN

        await pilot.click(f"#access-revoke-{sam_id}")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await until(pilot, lambda: notified(pilot, "Revoked Sam Rivera's access"))
        await until(pilot, lambda: "Guardian · Invite Revoked" in screen_text(pilot))
        assert app.screen.query(f"#access-send-{sam_id}")
    assert access_of(sqlite_url, "Sam") is LoginAccess.INVITE_REVOKED
    assert {m.to for m in filed(default_folder())} == {
        DEMO_SECONDARY_EMAIL,
        "jordan.rivera@example.com",
    }


async def test_re_sending_an_invitation_checks_the_address_in_place(
    sqlite_url: str, server_url: str
) -> None:
    app = make(server_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, OTHER_FAMILY_EMAIL, DEMO_PASSWORD)
        await until(pilot, lambda: "Nguyen Family" in screen_text(pilot))
        await account_info(pilot)
        assert f"Invite Sent to {DEMO_INVITED_EMAIL}" in screen_text(pilot)
        await palette(pilot, "Re-Send Invite Email: Alex Nguyen")
        await until(pilot, lambda: isinstance(app.screen, InviteForm))
        assert app.screen.query_one("#email", Input).value == DEMO_INVITED_EMAIL
        await fill(pilot, "#email", "alex.n@")
        await pilot.press("enter")
        await until(pilot, lambda: "Check the fields" in screen_text(pilot))
        assert app.screen.query_one("#email", Input).value == "alex.n@"
        assert filed(default_folder()) == []

        await fill(pilot, "#email", "alex.n@example.org")
        await pilot.press("enter")
        await until(pilot, lambda: notified(pilot, "Invitation sent to alex.n@example.org."))
        await until(pilot, lambda: "Invite Sent to alex.n@example.org" in screen_text(pilot))
    assert [m.to for m in filed(default_folder())] == ["alex.n@example.org"]


async def test_reset_password_emails_the_guardian_after_asking(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_account(pilot)
        await account_info(pilot)
        await palette(pilot, "Reset Password: Sam Rivera")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await until(pilot, lambda: notified(pilot, "A password reset email is on its way"))
    [mail] = filed(default_folder())
    assert mail.to == DEMO_SECONDARY_EMAIL and "Reset Password" in mail.body


async def test_mail_that_cannot_go_is_said_in_the_form_and_changes_nothing(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("PORTAL_OUTBOX", str(blocked / "outbox"))
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(100, 40)) as pilot:
            await sign_in(pilot, OTHER_FAMILY_EMAIL, DEMO_PASSWORD)
            await until(pilot, lambda: "Nguyen Family" in screen_text(pilot))
            await account_info(pilot)
            await palette(pilot, "Re-Send Invite Email: Alex Nguyen")
            await until(pilot, lambda: isinstance(app.screen, InviteForm))
            await pilot.press("enter")
            await until(pilot, lambda: "could not be sent" in screen_text(pilot))
            assert isinstance(app.screen, InviteForm)
            assert app.screen.query_one("#email", Input).value == DEMO_INVITED_EMAIL
    with servers.database(sqlite_url) as db:
        statuses = db.scalars(select(tables.Invitation.status)).all()
    assert "revoked" not in statuses  # the pending invitation still stands


async def test_a_secondary_guardian_is_offered_no_sign_in_actions(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await sign_in(pilot, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        await account_info(pilot)
        assert not app.screen.query("Button.access")
        assert "Can Log In" in screen_text(pilot)
