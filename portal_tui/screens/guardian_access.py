"""The primary guardian's control of another guardian's sign-in: the access indicator, and
"Send Invite Email", "Re-Send Invite Email", "Revoke" and "Reset Password"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input

from portal_tui.api import errors
from portal_tui.api.family import FamilyApi
from portal_tui.commands import PaletteCommand
from portal_tui.messages import GuardiansChanged
from portal_tui.screens.tab import AccountTab
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.form import Deleted, FormField, FormScreen, line_input
from portal_tui.wire.account import GuardianAccessAction, GuardianOut, GuardiansOut, LoginAccess
from portal_tui.wire.checks import normalize_email
from portal_tui.wire.invitations import INVITATION_HOURS, InvitationSend

SEND = "Send Invite Email"
RESEND = "Re-Send Invite Email"
REVOKE = "Revoke"
RESET = "Reset Password"
ACCESS = "guardian-access"
"""The worker group of Revoke and Reset Password."""


def indicator(guardian: GuardianOut) -> str:
    """The access indicator, with where a pending invitation went when the user may see it."""
    sent_to = guardian.invited_email
    if guardian.login_access is LoginAccess.INVITE_SENT:
        return f"Invite Sent to {sent_to}" if sent_to else "Invite Sent"
    return {
        LoginAccess.NONE: "No login",
        LoginAccess.CAN_LOG_IN: "Can Log In",
        LoginAccess.INVITE_REVOKED: "Invite Revoked",
    }[guardian.login_access]


LABELS = {
    GuardianAccessAction.SEND_INVITE: SEND,
    GuardianAccessAction.RESEND_INVITE: RESEND,
    GuardianAccessAction.REVOKE: REVOKE,
    GuardianAccessAction.RESET_PASSWORD: RESET,
}


def access_actions(guardian: GuardianOut) -> list[str]:
    """What the primary guardian may do now about a secondary guardian's sign-in, as the
    portal lists it."""
    return [LABELS[action] for action in guardian.actions if action in LABELS]


class InviteForm(FormScreen[InvitationSend, GuardianOut]):
    """Send Invite Email (or Re-Send): the address the invitation goes to."""

    def __init__(self, api: FamilyApi, guardian: GuardianOut, email: str, *, again: bool) -> None:
        label = RESEND if again else SEND
        super().__init__(f"{label}: {guardian.full_name}", submit_label=label)
        self.api = api
        self.guardian = guardian
        self.email = email

    def compose_fields(self) -> ComposeResult:
        placeholder = "name@example.com"
        email = line_input(self.email, check=normalize_email, placeholder=placeholder, id="email")
        yield FormField("Send the invitation to", email, name="email")

    def on_mount(self) -> None:
        self.say(
            f"The invitation code in it works once, for {INVITATION_HOURS} hours; any earlier "
            "one stops."
        )

    def build_request(self) -> InvitationSend:
        email = self.query_one("#email", Input).value.strip()
        return InvitationSend(email=email, version=self.guardian.version)

    async def save(self, request: InvitationSend) -> GuardianOut:
        return await self.api.guardian_logins.send_invitation(self.guardian.id, request)

    def show_current(self, current: object) -> None:
        if isinstance(current, GuardianOut):
            self.guardian = current


def invite_email(guardian: GuardianOut) -> str:
    """Where an invitation should go by default: where the last one went, or the guardian's
    first email address."""
    if guardian.invited_email:
        return guardian.invited_email
    emails = guardian.contacts.emails if guardian.contacts else []
    return emails[0].address if emails else ""


@dataclass(frozen=True)
class Confirmed:
    """A Revoke or a Reset Password: what to ask, and what to say once done."""

    action: str
    question: str
    confirm: str
    run: Callable[[], Awaitable[GuardianOut]]
    done: str


def confirmed_action(api: FamilyApi, guardian: GuardianOut, action: str) -> Confirmed:
    """The question before `action` (Revoke or Reset Password), the call, and what it did."""
    name = guardian.full_name
    logins = api.guardian_logins
    if action == REVOKE:
        signs_in = guardian.login_access is LoginAccess.CAN_LOG_IN
        what = "access" if signs_in else "invitation"
        effect = (
            "They will be signed out everywhere and cannot sign in"
            + (" or make payments." if guardian.can_make_payments else ".")
            if signs_in
            else "Its code will stop working."
        )
        return Confirmed(
            REVOKE,
            f"Revoke {name}'s {what}? {effect} You will both be emailed.",
            REVOKE,
            lambda: logins.revoke(guardian),
            f"Revoked {name}'s {what}. You have both been emailed.",
        )
    return Confirmed(
        RESET,
        f"Email {name} a code to choose a new password? Their password stays until they use it.",
        "Send Reset Email",
        lambda: logins.send_reset(guardian),
        f"A password reset email is on its way to {name}.",
    )


ACTION_IDS = {SEND: "send", RESEND: "resend", REVOKE: "revoke", RESET: "reset"}
"""Each action's part of its button's id (access-<part>-<guardian id>)."""


class GuardianAccessTab(AccountTab):
    """What the Account Info tab does about other guardians' sign-ins, for the primary
    guardian: a button per action under each secondary guardian, and a palette entry each."""

    guardians: GuardiansOut | None = None

    def access_buttons(self, guardian: GuardianOut) -> list[Widget]:
        return [
            Button(
                action,
                id=f"access-{ACTION_IDS[action]}-{guardian.id}",
                classes="access",
                compact=True,
            )
            for action in access_actions(guardian)
        ]

    @on(Button.Pressed, ".guardian Button.access")
    def _access_pressed(self, event: Button.Pressed) -> None:
        _, part, guardian_id = (event.button.id or "--0").split("-")
        action = next(a for a, p in ACTION_IDS.items() if p == part)
        self.access_action(int(guardian_id), action)

    def _guardian(self, guardian_id: int) -> GuardianOut | None:
        found = self.guardians.guardians if self.guardians else []
        return next((g for g in found if g.id == guardian_id), None)

    def access_action(self, guardian_id: int, action: str) -> None:
        """Send or re-send an invitation (a form), or Revoke or Reset Password (after a
        question); then say what was done and show the guardians as they are now."""
        guardian = self._guardian(guardian_id)
        busy = any(w.node is self and w.group == ACCESS and w.is_running for w in self.workers)
        if guardian is None or busy or action not in access_actions(guardian):
            return
        api = self.family.api
        if action in (SEND, RESEND):
            form = InviteForm(api, guardian, invite_email(guardian), again=action == RESEND)
            self.app.push_screen(form, partial(self._invited, form))
            return
        confirmed = confirmed_action(api, guardian, action)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._confirmed(guardian_id, confirmed), group=ACCESS)

        question = ConfirmScreen(confirmed.question, confirm=confirmed.confirm)
        self.app.push_screen(question, answered)

    def _invited(self, form: InviteForm, result: GuardianOut | Deleted | None) -> None:
        if isinstance(result, GuardianOut):
            self._changed(f"Invitation sent to {result.invited_email or 'them'}.")
        elif form.changed_elsewhere:
            self.reload()

    async def _confirmed(self, guardian_id: int, confirmed: Confirmed) -> None:
        try:
            await confirmed.run()
        except errors.PortalError as error:
            self.action_failed(error, partial(self.access_action, guardian_id, confirmed.action))
        else:
            self._changed(confirmed.done)

    def _changed(self, said: str) -> None:
        self.notify(said, markup=False)
        self.post_message(GuardiansChanged(self))
        self.reload()

    def access_commands(self) -> Iterator[PaletteCommand]:
        if self.guardians is None:
            return
        for guardian in self.guardians.guardians:
            for action in access_actions(guardian):
                yield PaletteCommand(
                    f"{action}: {guardian.full_name}",
                    f"{guardian.full_name}: {indicator(guardian)}",
                    partial(self._access_from_palette, guardian.id, action),
                )

    def _access_from_palette(self, guardian_id: int, action: str) -> None:
        self.show_tab()
        self.access_action(guardian_id, action)
