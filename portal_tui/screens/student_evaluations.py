"""Evaluations: not built yet (a placeholder while the Students tab grows)."""

from __future__ import annotations

from portal_tui.screens.student_section import StudentSection
from portal_tui.wire.family import Capabilities


class EvaluationsSection(StudentSection):
    SECTION_ID = "evaluations"
    TITLE = "Evaluations"
    DESCRIPTION = "The selected student's evaluated skills"

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return True

    async def fetch(self) -> None:
        await self.remove_children()
        await self.mount(self.empty("Not available yet."))
