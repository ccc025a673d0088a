"""Makeups: with tokens, the student's tokens in five groups for the selected location and
"Use Makeup Token"; without tokens but with requests, "Request a Makeup" and "Past Makeups"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from rich.table import Table
from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from portal_tui.screens.makeup_tables import (
    makeups_table,
    session_choice,
    token_choice,
    tokens_table,
    when,
)
from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.signed_in import OpenFamily
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.widgets.safe import safe
from portal_tui.wire.family import Capabilities
from portal_tui.wire.makeups import MakeupsOut, MakeupTokensOut, OpenSessionOut
from portal_tui.wire.students import StudentOut

TOKEN_GROUPS = (
    ("current", "Current Location Tokens", "Tokens to use at the selected location"),
    ("other_locations", "Tokens Available in Other Locations", "Tokens to use elsewhere"),
    ("pending", "Pending Makeup Tokens", "Tokens applied to a makeup class not yet held"),
    ("expired", "Expired Makeup Tokens", "Tokens no longer usable"),
    ("spent", "Spent Makeup Tokens", "Tokens used for a makeup class already held"),
)
"""(field of MakeupTokensOut, the portal's label, palette help) in the order shown."""

REQUEST_GROUPS = (
    ("upcoming", "Upcoming Makeups", "Makeup classes still to come"),
    ("past", "Past Makeups", "Makeup classes already held"),
)


class MakeupsSection(StudentSection):
    """The selected student's makeups, by tokens or by request (whichever the business uses)."""

    SECTION_ID = "makeups"
    TITLE = "Makeups"
    DESCRIPTION = "The selected student's makeup tokens and makeups"

    def __init__(self, family: OpenFamily, student: StudentOut) -> None:
        super().__init__(family, student)
        self.tokens: MakeupTokensOut | None = None
        """The tokens as last loaded (tokens mode)."""
        self.makeups: MakeupsOut | None = None
        """The makeups as last loaded (requests mode)."""

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.makeups)

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield from super().commands(capabilities)
        if capabilities.makeup_tokens:
            for key, label, help_text in TOKEN_GROUPS:
                yield SectionCommand(label, help_text, f"show_group('{key}')")
            yield SectionCommand(
                "Use Makeup Token", "Book a makeup class with a token", "use_token"
            )
        elif capabilities.makeup_requests:
            yield SectionCommand("Request a Makeup", "Book a makeup class", "request_makeup")
            _, label, help_text = REQUEST_GROUPS[1]
            yield SectionCommand(label, help_text, "show_group('past')")

    @property
    def uses_tokens(self) -> bool:
        return bool(self.capabilities.makeup_tokens)

    # Loading and showing

    def on_mount(self) -> None:
        if self.uses_tokens:
            self.watch(self.screen, "location_id", self._location_changed, init=False)

    def _location_changed(self) -> None:
        """The location switcher moved: "current" means another location now."""
        self.stale()
        if self.is_on_screen:
            self.reload()

    @property
    def location_id(self) -> int | None:
        location_id = getattr(self.screen, "location_id", None)
        return location_id if isinstance(location_id, int) else None

    @property
    def location_name(self) -> str:
        found = (loc.name for loc in self.portal.locations if loc.id == self.location_id)
        return next(found, "the selected location")

    async def fetch(self) -> None:
        if self.uses_tokens:
            self.tokens = await self.api.makeup_tokens(self.location_id)
            widgets = self._token_widgets(self.tokens)
        else:
            self.makeups = await self.api.makeups()
            widgets = self._request_widgets(self.makeups)
        await self.remove_children()
        await self.mount_all(widgets)

    def _bar(self, label: str, button_id: str) -> list[Widget]:
        return [
            Horizontal(Button(label, id=button_id, compact=True), id="makeups-bar"),
            ActionMessage(id="makeups-message", keep=f"makeups-{self.student.id}"),
        ]

    def _group(self, key: str, title: str, table: Table | None, empty: str) -> list[Widget]:
        header = Static(safe(title), id=f"group-{key}", classes="makeup-group")
        body = Static(table, classes="makeup-table") if table else self.empty(empty)
        return [header, body]

    def _token_widgets(self, tokens: MakeupTokensOut) -> list[Widget]:
        here = self.location_name
        empty = {
            "current": f"No tokens for {here}. Tokens are issued when a class is missed with "
            "notice; pick another location (Ctrl+L) to see tokens there.",
            "other_locations": "No tokens available at other locations.",
            "pending": "No pending tokens. A token is pending once it is applied to a makeup "
            "class: choose Use Makeup Token.",
            "expired": "No expired tokens.",
            "spent": "No spent tokens.",
        }
        widgets = self._bar("Use Makeup Token", "use-token")
        for key, label, _ in TOKEN_GROUPS:
            group = getattr(tokens, key)
            title = f"{label} — {here}" if key == "current" else label
            table = tokens_table(group) if group else None
            widgets += self._group(key, f"{title} ({len(group)})", table, empty[key])
        return widgets

    def _request_widgets(self, makeups: MakeupsOut) -> list[Widget]:
        empty = {
            "upcoming": "No makeups booked. Choose Request a Makeup to book a class in place "
            "of a missed one.",
            "past": "No past makeups yet.",
        }
        widgets = self._bar("Request a Makeup", "request-makeup")
        for key, label, _ in REQUEST_GROUPS:
            group = getattr(makeups, key)
            table = makeups_table(group) if group else None
            widgets += self._group(key, f"{label} ({len(group)})", table, empty[key])
        return widgets

    def action_show_group(self, key: str) -> None:
        """Scroll a group into view (a palette entry runs this once the view is loaded)."""
        for header in self.query(f"#group-{key}"):
            header.scroll_visible(top=True, animate=False)

    @property
    def message(self) -> ActionMessage:
        """The line above the groups saying how the last booking went."""
        shown = next(self.query("#makeups-message").results(ActionMessage), None)
        return shown or ActionMessage()  # not loaded yet: said nowhere

    # Use Makeup Token, Request a Makeup

    @on(Button.Pressed, "#use-token")
    def _use_pressed(self) -> None:
        self.action_use_token()

    @on(Button.Pressed, "#request-makeup")
    def _request_pressed(self) -> None:
        self.action_request_makeup()

    def action_use_token(self) -> None:
        self._book(self._use_token)

    def action_request_makeup(self) -> None:
        self._book(self._request)

    def _book(self, flow: Callable[[], Awaitable[None]]) -> None:
        """Run a booking flow in a worker; a failure is said in place, nothing is booked."""
        self.run_worker(self._booking(flow), group="booking", exclusive=True, exit_on_error=False)

    async def _booking(self, flow: Callable[[], Awaitable[None]]) -> None:
        try:
            await flow()
        except Exception as error:
            self.message.failed(error, resume=self.reload, unchanged="Nothing was booked.")

    async def _pick_session(
        self, title: str, sessions: list[OpenSessionOut]
    ) -> OpenSessionOut | None:
        choices = [(s.id, session_choice(s)) for s in sessions]
        picked = await self.app.push_screen_wait(PickScreen(title, choices))
        return next((s for s in sessions if s.id == picked), None)

    async def _confirm(self, question: str, confirm: str) -> bool:
        screen = ConfirmScreen(question, confirm=confirm, keep="Cancel")
        answer: bool = await self.app.push_screen_wait(screen)
        return answer

    async def _use_token(self) -> None:
        """Pick an available token, then a class it may book, confirm, and book it."""
        name = self.student_name
        tokens = self.tokens or await self.api.makeup_tokens(self.location_id)
        available = tokens.current + tokens.other_locations
        if not available:
            self.message.refused(
                f"{name} has no makeup token to use. Tokens are issued for missed classes."
            )
            return
        picked = await self.app.push_screen_wait(
            PickScreen(
                f"Use Makeup Token for {name}: pick a token",
                [(t.id, token_choice(t)) for t in available],
            )
        )
        token = next((t for t in available if t.id == picked), None)
        if token is None:
            return
        self.message.done(f"Finding classes at {token.location_name} this token can book…")
        sessions = await self.api.token_sessions(token.id)
        if not sessions:
            self.message.refused(
                f"No class at {token.location_name} has an open seat before this token expires "
                f"on {token.expires_on.isoformat()}. Try again later, or use another token."
            )
            return
        self.message.clear()
        session = await self._pick_session(f"Book a makeup class for {name}", sessions)
        if session is None:
            return
        question = (
            f"Use the {token.location_name} makeup token for {session.class_name} on "
            f"{when(session)} for {name}?"
        )
        if not await self._confirm(question, "Use Makeup Token"):
            return
        self.message.done("Booking…")
        await self.api.use_token(token, session.id)
        self.message.done(f"Booked {session.class_name} on {when(session)} for {name}.")
        self.student_changed()

    async def _request(self) -> None:
        """Pick a class with an open seat, confirm, and book it as a makeup."""
        name = self.student_name
        days = self.family.business.settings.makeup_request_days
        self.message.done("Finding classes with an open seat…")
        sessions = await self.api.makeup_options()
        if not sessions:
            self.message.refused(
                f"No class {name} may make up in has an open seat in the next {days} days. "
                "Try again later."
            )
            return
        self.message.clear()
        session = await self._pick_session(f"Request a Makeup for {name}", sessions)
        if session is None:
            return
        question = (
            f"Request a makeup in {session.class_name} at {session.location_name} on "
            f"{when(session)} for {name}?"
        )
        if not await self._confirm(question, "Request a Makeup"):
            return
        self.message.done("Booking…")
        await self.api.request_makeup(session.id)
        self.message.done(f"Booked {session.class_name} on {when(session)} for {name}.")
        self.student_changed()
