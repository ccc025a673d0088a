"""Future Absences: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class AbsencesSection(StudentSection):
    SECTION_ID = "absences"
    TITLE = "Future Absences"
    DESCRIPTION = "The selected student's planned absences"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.future_absences)

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
