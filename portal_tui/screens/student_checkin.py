"""QR Codes: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class CheckinSection(StudentSection):
    SECTION_ID = "checkin"
    TITLE = "QR Codes"
    DESCRIPTION = "The selected student's check-in QR code"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.qr_codes)

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
