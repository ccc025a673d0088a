"""Export Schedule: save a student's classes as `<student>-schedule.ics` in a folder they pick.
The calendar comes from the server."""

from __future__ import annotations

import re

from portal_tui.api.students import StudentApi
from portal_tui.widgets.save_form import File, SaveForm, SaveRequest


def schedule_file_name(student: str) -> str:
    """`Mia-Rivera-schedule.ics`: the student's name with only letters, digits and dashes."""
    stem = re.sub(r"[^\w]+", "-", student, flags=re.ASCII).strip("-") or "student"
    return f"{stem}-schedule.ics"


class ScheduleExportForm(SaveForm):
    """Dismisses with the saved file's path in a list, or None when cancelled."""

    what = "The schedule"

    def __init__(self, api: StudentApi, student: str, folder: str | None = None) -> None:
        self.api = api
        self.file_name = schedule_file_name(student)
        about = f"Saves {self.file_name}: the current classes, to import into a calendar app."
        super().__init__(f"Export Schedule: {student}", about, folder=folder, submit_label="Export")

    async def files(self, request: SaveRequest) -> list[File]:
        return [(self.file_name, await self.api.schedule_ics())]
