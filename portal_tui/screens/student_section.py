"""What every view of one student shares (Enrollments, Evaluations, Makeups …): the student,
their endpoints, lazy loading in a worker, and the palette commands it offers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.message import Message
from textual.widgets import Static

from portal_tui.screens.tab import LazyView
from portal_tui.signed_in import OpenFamily
from portal_tui.wire.family import Capabilities
from portal_tui.wire.students import StudentOut


@dataclass(frozen=True)
class SectionCommand:
    """A palette entry of a student view, named by the portal's label."""

    label: str
    help: str
    action: str | None = None
    """The view's action to run once it is shown (None: only show it)."""


class StudentSection(LazyView):
    """One view of the selected student, in its own tab inside the Students tab.

    A view declares its id, title and description, whether the caller's capabilities show it
    at all (`enabled`), and its palette entries (`commands`); the Students tab builds its
    inner tab bar and palette from them. A view loads when first shown, for its student.
    """

    SECTION_ID: ClassVar[str]
    TITLE: ClassVar[str]
    DESCRIPTION: ClassVar[str]

    def __init__(self, family: OpenFamily, student: StudentOut) -> None:
        super().__init__(family, id=f"{self.SECTION_ID}-section")
        self.student = student
        self.api = family.api.student(student.id)

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        """Whether this view exists for the caller (a feature that is off is not shown)."""
        return True

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        """The palette entries of this view: by default, its title shows it."""
        yield SectionCommand(cls.TITLE, cls.DESCRIPTION)

    @property
    def capabilities(self) -> Capabilities:
        return self.family.capabilities

    @property
    def zone(self) -> ZoneInfo:
        """The business's time zone, in which every date and time is shown."""
        return ZoneInfo(self.family.business.time_zone)

    @property
    def student_name(self) -> str:
        return self.student.full_name

    @staticmethod
    def empty(message: str) -> Static:
        """The empty state: what there is not, and what to do about it."""
        return Static(message, markup=False, classes="empty")

    def student_changed(self) -> None:
        """A write here changed the student's record or enrollments: the tab reads the
        students again and shows this view afresh."""
        self.post_message(self.StudentChanged(self))

    class StudentChanged(Message):
        """The selected student's data changed on the server."""

        def __init__(self, section: StudentSection) -> None:
            super().__init__()
            self.section = section

        @property
        def control(self) -> StudentSection:
            return self.section
