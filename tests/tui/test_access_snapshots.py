"""Snapshots at 80×24 of the forms for an emailed code (the sign-in screen's) and of the
primary guardian's invitation form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from portal_tui.screens.guardian_access import InviteForm
from portal_tui.screens.sign_in_help import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    ResetPasswordForm,
)
from portal_tui.wire.demo import DEMO_PASSWORD, OTHER_FAMILY_EMAIL
from tests.tui.pilot import fill, make, palette, screen_text, sign_in, unfocus, until
from tests.tui.test_snapshots import fixed_clock  # noqa: F401 (a fixture)


def sign_in_form(label: str, form: type[object], *fields: tuple[str, str]) -> Callable[..., object]:
    """The sign-in screen's form `label`, its fields filled, then sent once (so the errors
    a user meets show)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: pilot.app.screen.query("#email"))
        await palette(pilot, label)
        await until(pilot, lambda: isinstance(pilot.app.screen, form))
        for selector, text in fields:
            await fill(pilot, selector, text)
        await pilot.press("enter")
        await until(
            pilot, lambda: "Check" in str(pilot.app.screen.query_one("FormMessage").render())
        )
        await unfocus(pilot)

    return run_before


def test_accept_invitation_at_80x24(snap_compare: Callable[..., bool]) -> None:
    fields = [("#code", "demo-invitation-alex-nguyen"), ("#password", "short")]
    run_before = sign_in_form("Accept Invitation", AcceptInvitationForm, *fields)
    app = make("https://portal.example.com")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_reset_password_at_80x24(snap_compare: Callable[..., bool]) -> None:
    fields = [("#new_password", "violet kettle drums sideways")]
    run_before = sign_in_form("Reset Password", ResetPasswordForm, *fields)
    app = make("https://portal.example.com")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def nguyen_account_info(then_invite: bool) -> Callable[..., object]:
    """The Nguyen family's Account Info as its primary guardian sees it (Alex's invitation
    pending), and with `then_invite` the Re-Send Invite Email form for Alex."""

    async def run_before(pilot: Pilot[None]) -> None:
        await sign_in(pilot, OTHER_FAMILY_EMAIL, DEMO_PASSWORD)
        await until(pilot, lambda: "Nguyen Family" in screen_text(pilot))
        await pilot.press("4")
        await until(pilot, lambda: "Invite Sent to" in screen_text(pilot))
        if then_invite:
            await palette(pilot, "Re-Send Invite Email: Alex Nguyen")
            await until(pilot, lambda: isinstance(pilot.app.screen, InviteForm))
        await unfocus(pilot)

    return run_before


@pytest.mark.usefixtures("fixed_clock")
def test_pending_invitation_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    run_before = nguyen_account_info(then_invite=False)
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.usefixtures("fixed_clock")
def test_invite_form_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    run_before = nguyen_account_info(then_invite=True)
    assert snap_compare(make(server_url), terminal_size=(80, 24), run_before=run_before)


def test_forgot_password_at_80x24(snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: pilot.app.screen.query("#email"))
        await fill(pilot, "#email", "sam.rivera@example.com")
        await pilot.click("#forgot-password")
        await until(pilot, lambda: isinstance(pilot.app.screen, ForgotPasswordForm))
        pressed = pilot.app.screen_stack[-2].query_one("#forgot-password")
        await until(pilot, lambda: not pressed.has_class("-active"))  # its press has shown
        await unfocus(pilot)

    app = make("https://portal.example.com")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
