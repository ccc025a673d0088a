"""Security tab: who is signed in, Change Password, two-step verification (whether it is on;
turn it on or off), and the user's sessions (where and when each signed in, when last used)
with Sign Out for any one of them or for every other."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.screens.change_password import ChangePasswordForm
from portal_tui.screens.tab import AccountTab
from portal_tui.screens.two_step import (
    NEW_CODES,
    TURN_OFF,
    TURN_ON,
    NewRecoveryCodesForm,
    RecoveryCodesScreen,
    TurnOffTwoStepForm,
    TurnOnTwoStepForm,
)
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.form import Deleted
from portal_tui.widgets.safe import plain, safe
from portal_tui.wire.security import PasswordChanged, SessionOut
from portal_tui.wire.two_step import RecoveryCodes, TwoStepStatus

CHANGE_PASSWORD = "Change Password"
END_OTHERS = "Sign Out All Other Sessions"
WRITES = "session-write"
"""The worker group of the tab's sign-outs, one at a time."""


class SessionTable(DataTable[str]):
    """The user's sessions; Delete signs out the highlighted one."""

    BINDINGS = [
        Binding("delete", "end_session", "Sign Out Session", id="security.end-session"),
    ]

    def action_end_session(self) -> None:
        tab = next(a for a in self.ancestors if isinstance(a, SecurityTab))
        tab.end_highlighted()


class SecurityTab(AccountTab):
    """The signed-in user, Change Password, two-step verification, and their sessions; the
    Sign Out button (this session) is handled by the screen."""

    TAB_ID = "security"
    TITLE = "Security"
    DESCRIPTION = "Change Password; two-step verification; your sessions; sign out"

    _sessions: tuple[SessionOut, ...] = ()
    _two_step: TwoStepStatus | None = None

    def compose(self) -> ComposeResult:
        user = self.portal.user
        yield Static(safe(f"Signed in as {user.display_name}"), classes="guardian-name")
        yield Static(safe(f"Email     {user.email}"))
        yield Static(safe(f"Portal    {self.family.business.name}"))
        with Horizontal(classes="security-actions"):
            yield Button(CHANGE_PASSWORD, id="change-password", compact=True)
            yield Button("Sign Out", id="sign-out", compact=True)
        yield Static("Two-Step Verification", classes="section-title")
        yield Static("", id="two-step-status")
        with Horizontal(classes="security-actions"):
            yield Button(TURN_ON, id="two-step-on", compact=True, classes="hidden")
            yield Button(TURN_OFF, id="two-step-off", compact=True, classes="hidden")
            yield Button(NEW_CODES, id="two-step-codes", compact=True, classes="hidden")
        yield Static("Sessions", id="sessions-title", classes="section-title")
        table = SessionTable(id="sessions", cursor_type="row", zebra_stripes=False)
        table.add_columns("", "App", "Signed in", "Last used", "From")
        yield table
        yield Button(END_OTHERS, id="end-others", compact=True)

    async def fetch(self) -> None:
        client = self.portal.client
        sessions, two_step = await asyncio.gather(
            client.security.sessions(), client.two_step.status()
        )
        self._show_two_step(two_step)
        self._show(sessions)

    def _show_two_step(self, status: TwoStepStatus) -> None:
        """On or off in words (never by colour alone), and the one button that changes it."""
        self._two_step = status
        zone = ZoneInfo(self.family.business.time_zone)
        if status.enabled:
            since = f" since {_at(status.enabled_at, zone)}" if status.enabled_at else ""
            left = status.recovery_codes_left
            text = (
                f"On{since}: signing in needs a code from your authenticator app. "
                f"Recovery codes left: {left}."
            )
            if status.required:
                text += " Your role requires it, so it stays on."
        else:
            text = "Off: signing in needs only your password."
            if status.required:
                text += " Your role requires it: turn it on."
        self.query_one("#two-step-status", Static).update(text)
        self.query_one("#two-step-on").set_class(status.enabled, "hidden")
        self.query_one("#two-step-off").set_class(not status.enabled or status.required, "hidden")
        self.query_one("#two-step-codes").set_class(not status.enabled, "hidden")

    def _show(self, sessions: list[SessionOut]) -> None:
        self._sessions = tuple(sessions)
        zone = ZoneInfo(self.family.business.time_zone)
        table = self.query_one(SessionTable)
        table.clear()
        for s in sessions:
            here = "This" if s.current else ""
            cells = (here, plain(s.client), _at(s.created_at, zone), _at(s.last_used_at, zone))
            table.add_row(*cells, plain(s.address) or "—", key=str(s.id))
        others = len(sessions) - 1
        title = f"Sessions: {len(sessions)} (Delete signs out the highlighted one)"
        self.query_one("#sessions-title", Static).update(title)
        self.query_one("#end-others", Button).disabled = others < 1

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield PaletteCommand(CHANGE_PASSWORD, "Change your password", self.change_password)
        status = self._two_step  # before the tab has loaded, both: the tab then decides
        if status is None or not status.enabled:
            about = "Sign in with a code from an authenticator app as well"
            yield PaletteCommand(TURN_ON, about, self.turn_on_from_palette)
        if status is None or (status.enabled and not status.required):
            about = "Sign in with your password only"
            yield PaletteCommand(TURN_OFF, about, self.turn_off_from_palette)
        if status is not None and status.enabled:
            about = "Recovery codes in place of those you have"
            yield PaletteCommand(NEW_CODES, about, self.new_codes)
        if len(self._sessions) > 1:
            about = "Sign out every session but this one"
            yield PaletteCommand(END_OTHERS, about, self.end_others)

    @on(Button.Pressed, "#change-password")
    def change_password(self) -> None:
        form = ChangePasswordForm(self.portal.client.security, self.portal.user)
        self.app.push_screen(form, self._password_changed)

    def _password_changed(self, changed: PasswordChanged | Deleted | None) -> None:
        if not isinstance(changed, PasswordChanged):
            return
        ended = f" {_others_signed_out(changed.ended_sessions)}" if changed.ended_sessions else ""
        self.notify(f"Password changed.{ended}", markup=False)
        self.reload()

    def turn_on_from_palette(self) -> None:
        self.show_tab()
        self.when_ready(self.turn_on)

    def turn_off_from_palette(self) -> None:
        self.show_tab()
        self.when_ready(self.turn_off)

    @on(Button.Pressed, "#two-step-on")
    def turn_on(self) -> None:
        if self._two_step is not None and self._two_step.enabled:
            self.notify("Two-step verification is on already.", markup=False)
            return
        form = TurnOnTwoStepForm(self.portal.client.two_step)
        self.app.push_screen(form, lambda codes: self._turned_on(form, codes))

    def _turned_on(self, form: TurnOnTwoStepForm, codes: RecoveryCodes | Deleted | None) -> None:
        if isinstance(codes, RecoveryCodes):
            self.app.push_screen(RecoveryCodesScreen(codes))
            self.reload()
        elif form.changed_elsewhere:
            self.reload()

    @on(Button.Pressed, "#two-step-off")
    def turn_off(self) -> None:
        status = self._two_step
        if status is not None and (not status.enabled or status.required):
            why = "is off already" if not status.enabled else "is required for your role"
            self.notify(f"Two-step verification {why}.", markup=False)
            return
        form = TurnOffTwoStepForm(self.portal.client.two_step, self.portal.user.email)
        self.app.push_screen(form, lambda off: self._turned_off(form, off))

    def _turned_off(self, form: TurnOffTwoStepForm, off: bool | Deleted | None) -> None:
        if off is True:
            self.notify("Two-step verification is off.", markup=False)
            self.reload()
        elif form.changed_elsewhere:
            self.reload()

    @on(Button.Pressed, "#two-step-codes")
    def new_codes(self) -> None:
        form = NewRecoveryCodesForm(self.portal.client.two_step)
        self.app.push_screen(form, lambda codes: self._new_codes(form, codes))

    def _new_codes(self, form: NewRecoveryCodesForm, codes: RecoveryCodes | Deleted | None) -> None:
        if isinstance(codes, RecoveryCodes):
            self.app.push_screen(RecoveryCodesScreen(codes, title="New recovery codes"))
            self.reload()
        elif form.changed_elsewhere:
            self.reload()

    def end_highlighted(self) -> None:
        """Sign out the highlighted session (this one through the screen's Sign Out)."""
        table = self.query_one(SessionTable)
        if not self._sessions or table.cursor_row >= len(self._sessions):
            return
        session = self._sessions[table.cursor_row]
        where = f" from {session.address}" if session.address else ""
        question = f"Sign out the session of {session.client}{where}?"
        if session.current:
            question = "Sign out this session? You will need to sign in again."

        def confirmed(yes: bool | None) -> None:
            if yes and session.current:
                self.query_one("#sign-out", Button).press()
            elif yes:
                self._end_session(session.id)

        self.app.push_screen(ConfirmScreen(question, confirm="Sign Out"), confirmed)

    @on(Button.Pressed, "#end-others")
    def end_others(self) -> None:
        self.show_tab()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._end_others()

        question = "Sign out every session but this one?"
        self.app.push_screen(ConfirmScreen(question, confirm="Sign Out"), confirmed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A sign-out that failed is said in a notification (as the failure policy reads it)
        and the list is read again: the session may have ended meanwhile. Loads fail as
        every tab's do."""
        if event.worker.group != WRITES:
            super().on_worker_state_changed(event)
            return
        if event.state is not WorkerState.ERROR:
            return
        event.stop()
        self.action_failed(event.worker.error, self.reload)

    @work(group=WRITES, exclusive=True, exit_on_error=False)
    async def _end_session(self, session_id: int) -> None:
        await self.portal.client.security.end_session(session_id)
        self.notify("Session signed out.", markup=False)
        self._show(await self.portal.client.security.sessions())

    @work(group=WRITES, exclusive=True, exit_on_error=False)
    async def _end_others(self) -> None:
        ended = await self.portal.client.security.end_other_sessions()
        self.notify(_others_signed_out(ended.ended), markup=False)
        self._show(await self.portal.client.security.sessions())


def _others_signed_out(count: int) -> str:
    return f"{count} other session{'s' if count != 1 else ''} signed out."


def _at(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")
