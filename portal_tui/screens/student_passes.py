"""Passes: the student's punch passes, and "Redeem Punch" where the business allows it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import safe
from portal_tui.wire.family import Capabilities
from portal_tui.wire.passes import PassOut, PassStatus

STATUS_LABELS = {
    PassStatus.ACTIVE: "Active",
    PassStatus.USED_UP: "Used up (not active)",
    PassStatus.EXPIRED: "Expired (not active)",
    PassStatus.INACTIVE: "Inactive",
}


def punches(punch_pass: PassOut) -> str:
    """E.g. "4 of 10 punches used, 6 remaining"."""
    return (
        f"{punch_pass.punches_used} of {punch_pass.punches_total} punches used, "
        f"{punch_pass.punches_remaining} remaining"
    )


class PassCard(Vertical):
    """One pass: name and status, punches, dates and amount paid; a Redeem Punch button when
    a punch may be redeemed from it."""

    def __init__(self, punch_pass: PassOut, symbol: str, *, redeemable: bool) -> None:
        super().__init__(classes="pass", id=f"pass-{punch_pass.id}")
        self.punch_pass = punch_pass
        self.symbol = symbol
        self.redeemable = redeemable and punch_pass.status is PassStatus.ACTIVE

    def compose(self) -> ComposeResult:
        p = self.punch_pass
        expires = f"expires {p.expires_on.isoformat()}" if p.expires_on else "never expires"
        yield Static(safe(p.name), classes="pass-name")
        yield Static(safe(STATUS_LABELS[p.status]), classes=f"pass-status -{p.status.name}")
        yield Static(safe(f"{punches(p)} · paid {format_cents(p.amount_paid_cents, self.symbol)}"))
        yield Static(safe(f"Purchased {p.purchased_on.isoformat()} · {expires}"))
        if self.redeemable:
            yield Button("Redeem Punch", classes="redeem", compact=True)


class PassesSection(StudentSection):
    """Every punch pass of the student, newest first."""

    SECTION_ID = "passes"
    TITLE = "Passes"
    DESCRIPTION = "The selected student's punch passes"

    passes: list[PassOut] | None = None
    """The passes on screen (None until loaded)."""

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.punch_passes)

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield from super().commands(capabilities)
        if capabilities.redeem_punches:
            yield SectionCommand(
                "Redeem Punch", "Use one punch of the selected student's pass", "redeem"
            )

    async def fetch(self) -> None:
        passes = await self.api.passes()
        await self.remove_children()
        await self.mount(
            ActionMessage(id="passes-message", keep=f"passes-{self.student.id}"),
            Vertical(id="passes-list"),
        )
        await self.show_passes(passes)

    async def show_passes(self, passes: list[PassOut]) -> None:
        self.passes = passes
        listing = self.query_one("#passes-list", Vertical)
        await listing.remove_children()
        if not passes:
            await listing.mount(
                self.empty(
                    f"{self.student_name} has no punch passes. Passes bought at the front desk "
                    "show here: ask there to buy one."
                )
            )
            return
        symbol = self.family.business.currency_symbol
        redeemable = self.capabilities.redeem_punches
        await listing.mount_all(PassCard(p, symbol, redeemable=redeemable) for p in passes)

    # Redeem Punch

    @on(Button.Pressed, ".redeem")
    def _redeem_pressed(self, event: Button.Pressed) -> None:
        card = event.button.parent
        if isinstance(card, PassCard):
            self._confirm_redeem(card.punch_pass)

    def action_redeem(self) -> None:
        """Redeem from the pass whose button has focus, else the first active one."""
        if self.passes is None:  # not loaded yet: a palette entry runs this once it is
            return
        focused = self.app.focused
        card = focused.parent if focused is not None else None
        if isinstance(card, PassCard) and card.redeemable:
            self._confirm_redeem(card.punch_pass)
            return
        active = [p for p in self.passes if p.status is PassStatus.ACTIVE]
        if active:
            self._confirm_redeem(active[0])
        else:
            self.query_one("#passes-message", ActionMessage).refused(
                f"{self.student_name} has no active pass to redeem a punch from."
            )

    def _confirm_redeem(self, punch_pass: PassOut) -> None:
        left = punch_pass.punches_remaining - 1
        question = (
            f"Redeem a punch from {punch_pass.name} for {self.student_name}? "
            f"{left} of {punch_pass.punches_total} punches will remain."
        )
        self.app.push_screen(
            ConfirmScreen(question, confirm="Redeem Punch"),
            partial(self._answered, punch_pass),
        )

    def _answered(self, punch_pass: PassOut, confirmed: bool | None) -> None:
        if confirmed:
            self.redeem(punch_pass)

    def redeem(self, punch_pass: PassOut) -> None:
        """Redeem a punch now, in a worker (no question asked)."""
        self.run_worker(
            self._redeem(punch_pass), group="redeem", exclusive=True, exit_on_error=False
        )

    async def _redeem(self, punch_pass: PassOut) -> None:
        message = self.query_one("#passes-message", ActionMessage)
        try:
            after = await self.api.redeem_punch(punch_pass.id, punch_pass.version)
        except Exception as error:
            failure = message.failed(
                error, resume=partial(self.redeem, punch_pass), unchanged="No punch was redeemed."
            )
            if isinstance(failure.current, PassOut):  # shown as it is now
                await self._replace(failure.current)
            return
        await self._replace(after)
        message.done(
            f"Redeemed a punch from {after.name}: {after.punches_remaining} of "
            f"{after.punches_total} punches remain."
        )

    async def _replace(self, punch_pass: PassOut) -> None:
        """Show `punch_pass` as the server now has it."""
        passes = self.passes or []
        await self.show_passes([punch_pass if p.id == punch_pass.id else p for p in passes])
