"""QR Codes: the student's check-in QR code, drawn in the terminal, and "Regenerate QR Code"."""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.qr_code import QRCode
from portal_tui.widgets.safe import safe
from portal_tui.wire.checkin import CheckinCodeOut
from portal_tui.wire.family import Capabilities

ERROR_CORRECTION = "L"
"""The check-in code (24 upper-case characters) fits a version-1 code at this level: 29×15
cells with the quiet zone, small enough for an 80×24 terminal."""


class CheckinSection(StudentSection):
    """The code the lobby kiosk and the front desk scan, with the student's name beside it."""

    SECTION_ID = "checkin"
    TITLE = "QR Codes"
    DESCRIPTION = "The selected student's check-in QR code"

    code: CheckinCodeOut | None = None
    """The code on screen (None until loaded)."""

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.qr_codes)

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield from super().commands(capabilities)
        yield SectionCommand(
            "Regenerate QR Code",
            "Give the selected student a new check-in code; the old one stops working",
            "regenerate",
        )

    async def fetch(self) -> None:
        self.code = await self.api.checkin_code()
        await self.remove_children()
        await self.mount(
            Horizontal(
                QRCode(self.code.code, error=ERROR_CORRECTION, id="checkin-qr"),
                Vertical(
                    Static(safe(self.student_name), id="checkin-name"),
                    Static(safe(f"Check-in code {self.code.code}"), id="checkin-code"),
                    Static(
                        "Scan this at the lobby kiosk or show it at the front desk to check in.",
                        classes="hint",
                    ),
                    Button("Regenerate QR Code", id="regenerate", compact=True),
                    ActionMessage(id="checkin-message", keep=f"checkin-{self.student.id}"),
                    id="checkin-details",
                ),
            )
        )

    @on(Button.Pressed, "#regenerate")
    def action_regenerate(self) -> None:
        """Ask first (the printed or saved code stops working), then regenerate."""
        if self.code is None:  # not loaded yet: a palette entry runs this once it is
            return
        question = (
            f"Regenerate the QR code for {self.student_name}? The old code will stop working."
        )
        self.app.push_screen(
            ConfirmScreen(question, confirm="Regenerate"),
            self._answered,
        )

    def _answered(self, confirmed: bool | None) -> None:
        if confirmed:
            self.regenerate()

    def regenerate(self) -> None:
        """Replace the code now, in a worker (no question asked)."""
        self.run_worker(self._regenerate(), group="regenerate", exclusive=True, exit_on_error=False)

    async def _regenerate(self) -> None:
        message = self.query_one("#checkin-message", ActionMessage)
        try:
            self.code = await self.api.regenerate_checkin_code()
        except Exception as error:
            message.failed(error, resume=self.regenerate)
            return
        self.query_one("#checkin-qr", QRCode).show(self.code.code)
        self.query_one("#checkin-code", Static).update(safe(f"Check-in code {self.code.code}"))
        message.done(
            f"Regenerated the QR code for {self.student_name}. The old code no longer works."
        )
