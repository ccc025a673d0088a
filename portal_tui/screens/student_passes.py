"""Passes: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class PassesSection(StudentSection):
    SECTION_ID = "passes"
    TITLE = "Passes"
    DESCRIPTION = "The selected student's punch passes"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.punch_passes)

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
