"""The one way files are saved: a form that asks for a folder (default: the user's documents
folder) and, where there is a choice, a format; writes off the UI thread; returns the paths.

A folder that does not exist is refused before anything is fetched or made, and one that
cannot be written to is said under the folder field; the typed folder stays either way.
"""

from __future__ import annotations

import asyncio
import errno
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui.widgets.choice import Choice
from portal_tui.widgets.form import FormField, FormScreen
from portal_tui.widgets.safe import PlainInput, safe

File = tuple[str, bytes]
"""A file to write: its name (no folder) and its contents."""


def default_folder() -> str:
    """The user's documents folder (platformdirs) if it exists, else the home folder: a fresh
    or remote machine often has no Documents folder."""
    documents = Path(platformdirs.user_documents_dir())
    return str(documents if documents.is_dir() else Path.home())


def check_folder(folder: Path) -> None:
    """Refuse a folder that does not exist (before anything is fetched or written)."""
    if not folder.is_dir():
        raise NotADirectoryError(0, "there is no such folder", str(folder))


def write_files(folder: Path, files: list[File]) -> list[Path]:
    """Write `files` into `folder` (which must exist); returns their paths."""
    check_folder(folder)
    paths = []
    for name, contents in files:
        path = folder / name
        path.write_bytes(contents)
        paths.append(path)
    return paths


@dataclass(frozen=True)
class SaveRequest:
    folder: Path
    format: str | None = None
    """One of the form's formats (their labels), or None when it offers no choice."""


class SaveForm(FormScreen[SaveRequest, list[Path]]):
    """Dismisses with the saved files' paths, or None when cancelled. A subclass makes the
    files (`files`) and names what is saved in the refusal (`what`)."""

    what = "The file"

    def __init__(
        self,
        title: str,
        about: str,
        *,
        formats: tuple[str, ...] = (),
        folder: str | None = None,
        submit_label: str = "Save",
    ) -> None:
        self.about = about
        self.formats = formats
        self.folder = folder or default_folder()
        super().__init__(title, submit_label=submit_label)

    def compose_fields(self) -> ComposeResult:
        yield Static(safe(self.about), id="save-about")
        if self.formats:
            choice = Choice(
                [(label, label) for label in self.formats],
                value=self.formats[0],
                allow_blank=False,
                compact=True,
                id="format",
            )
            yield FormField("Format", choice, name="format")
        folder = PlainInput(self.folder, compact=True, select_on_focus=False, id="folder")
        yield FormField("Folder", folder, name="folder")

    async def files(self, request: SaveRequest) -> list[File]:
        """The files to write (fetched or made here, after the folder was found)."""
        raise NotImplementedError

    def build_request(self) -> SaveRequest:
        chosen = str(self.query_one("#format", Choice).value) if self.formats else None
        return SaveRequest(Path(self._folder_typed()).expanduser(), chosen)

    def _folder_typed(self) -> str:
        return self.query_one("#folder", PlainInput).value.strip()

    def local_errors(self) -> dict[str, str]:
        if not self._folder_typed():
            return {"folder": "Required: the folder to save in."}
        return super().local_errors()

    async def save(self, request: SaveRequest) -> list[Path]:
        await asyncio.to_thread(check_folder, request.folder)
        files = await self.files(request)
        return await asyncio.to_thread(write_files, request.folder, files)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A folder that cannot be written is said under its field (the form's own failure
        policy handles everything else)."""
        error = event.worker.error
        failed = event.worker.group == "form" and event.state is WorkerState.ERROR
        if failed and isinstance(error, OSError):
            event.prevent_default()
            self.busy = False
            if error.errno == errno.ENAMETOOLONG:  # the names are cut to fit: the path is long
                self.refuse(
                    {"folder": "Cannot save here: this folder's path is too long."},
                    f"{self.what} was not saved. Pick a folder with a shorter path.",
                )
                return
            reason = error.strerror or type(error).__name__
            self.refuse(
                {"folder": f"Cannot save here: {reason}."},
                f"{self.what} was not saved. Pick a folder you can write to.",
            )
