"""Snapshots at 80×24 of the forms for an emailed code (the sign-in screen's) and of the
primary guardian's invitation form."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from portal_tui.screens.sign_in_help import AcceptInvitationForm, ResetPasswordForm
from tests.tui.pilot import fill, make, palette, until


def sign_in_form(label: str, form: type[object], *fields: tuple[str, str]) -> Callable[..., object]:
    """The sign-in screen's form `label`, its fields filled, then sent once (so the errors
    a user meets show)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: pilot.app.screen.query("#email"))
        await palette(pilot, label)
        await until(pilot, lambda: isinstance(pilot.app.screen, form))
        for selector, text in fields:
            fill(pilot, selector, text)
        await pilot.press("enter")
        await until(
            pilot, lambda: "Check" in str(pilot.app.screen.query_one("FormMessage").render())
        )
        pilot.app.screen.set_focus(None)

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
