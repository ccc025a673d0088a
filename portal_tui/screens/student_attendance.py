"""Attendance: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class AttendanceSection(StudentSection):
    SECTION_ID = "attendance"
    TITLE = "Attendance"
    DESCRIPTION = "The selected student's attendance"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.attendance)

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
