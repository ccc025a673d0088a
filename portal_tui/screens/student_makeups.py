"""Makeups: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class MakeupsSection(StudentSection):
    SECTION_ID = "makeups"
    TITLE = "Makeups"
    DESCRIPTION = "The selected student's makeup tokens and makeups"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.makeups)

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
