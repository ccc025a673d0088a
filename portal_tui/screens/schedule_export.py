"""Export Schedule: save a student's classes as `<student>-schedule.ics` in a folder they pick.

The calendar comes from the server; the file is written off the UI thread. A folder that
cannot be written to is said under the folder field, and nothing else changes.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui.api.students import StudentApi
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import PlainInput, safe


def schedule_file_name(student: str) -> str:
    """`Mia-Rivera-schedule.ics`: the student's name with only letters, digits and dashes."""
    stem = re.sub(r"[^\w]+", "-", student, flags=re.ASCII).strip("-") or "student"
    return f"{stem}-schedule.ics"


def default_folder() -> str:
    """The user's documents folder (platformdirs) if it exists, else the home folder: a fresh
    or remote machine often has no Documents folder."""
    documents = Path(platformdirs.user_documents_dir())
    return str(documents if documents.is_dir() else Path.home())


def check_folder(folder: Path) -> None:
    """Refuse a folder that does not exist (before anything is fetched or written)."""
    if not folder.is_dir():
        raise NotADirectoryError(0, "there is no such folder", str(folder))


def write_schedule(folder: Path, name: str, ics: bytes) -> Path:
    """Write the calendar into `folder` (which must exist); returns the file's path."""
    check_folder(folder)
    path = folder / name
    path.write_bytes(ics)
    return path


@dataclass(frozen=True)
class ExportRequest:
    folder: Path


class ScheduleExportForm(FormScreen[ExportRequest, Path]):
    """Dismisses with the path of the saved file, or None when cancelled."""

    def __init__(self, api: StudentApi, student: str, folder: str | None = None) -> None:
        self.api = api
        self.student = student
        self.file_name = schedule_file_name(student)
        self.folder = folder or default_folder()
        super().__init__(f"Export Schedule: {student}", submit_label="Export")

    def compose_fields(self) -> ComposeResult:
        yield Static(
            safe(f"Saves {self.file_name}: the current classes, to import into a calendar app."),
            id="export-about",
        )
        folder = PlainInput(self.folder, compact=True, select_on_focus=False, id="folder")
        yield FormField("Folder", folder, name="folder")

    def build_request(self) -> ExportRequest:
        return ExportRequest(Path(self._folder_typed()).expanduser())

    def _folder_typed(self) -> str:
        return self.query_one("#folder", PlainInput).value.strip()

    def local_errors(self) -> dict[str, str]:
        if not self._folder_typed():
            return {"folder": "Required: the folder to save the file in."}
        return super().local_errors()

    async def save(self, request: ExportRequest) -> Path:
        await asyncio.to_thread(check_folder, request.folder)
        ics = await self.api.schedule_ics()
        return await asyncio.to_thread(write_schedule, request.folder, self.file_name, ics)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A folder that cannot be written is said under its field (the form's own failure
        policy handles everything else)."""
        error = event.worker.error
        failed = event.worker.group == "form" and event.state is WorkerState.ERROR
        if failed and isinstance(error, OSError):
            event.prevent_default()
            self.busy = False
            reason = error.strerror or type(error).__name__
            self.refuse(
                {"folder": f"Cannot save here: {reason}."},
                "The schedule was not saved. Pick a folder you can write to.",
            )
