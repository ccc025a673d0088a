"""Evaluations (S3): the student's "Evaluated Skills" per level — each skill's status in
words, the date and comment of its latest evaluation, and how far the level is."""

from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.table import Table
from textual.widgets import Static

from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.safe import plain, safe, safe_text
from portal_tui.wire.family import Capabilities
from portal_tui.wire.progress import LevelProgress, SkillStatus

STATUS_LABELS = {
    SkillStatus.PASSED: "Passed",
    SkillStatus.IN_PROGRESS: "In progress",
    SkillStatus.NOT_STARTED: "Not started",
}


def summary(level: LevelProgress) -> str:
    """How far the level is, e.g. "1 of 4 skills passed, 2 in progress, 1 not started"."""
    total = len(level.skills)
    parts = [f"{level.passed} of {total} skill{'' if total == 1 else 's'} passed"]
    if level.in_progress:
        parts.append(f"{level.in_progress} in progress")
    if level.not_started:
        parts.append(f"{level.not_started} not started")
    return ", ".join(parts)


def skills_table(level: LevelProgress) -> Table:
    """The level's skills; a long comment wraps within its column, so all of it shows."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("Skill", ratio=3, overflow="fold")
    table.add_column("Status", no_wrap=True, min_width=11)
    table.add_column("Evaluated", no_wrap=True)
    table.add_column("Comment", ratio=4, overflow="fold")
    for skill in level.skills:
        table.add_row(
            safe_text(skill.name),
            STATUS_LABELS[skill.status],
            skill.evaluated_on.isoformat() if skill.evaluated_on else "—",
            safe_text(skill.comment),
        )
    return table


class EvaluationsSection(StudentSection):
    """Each level the student was evaluated in or has a current class of, skill by skill."""

    SECTION_ID = "evaluations"
    TITLE = "Evaluations"
    DESCRIPTION = "The selected student's evaluated skills, per level"

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield from super().commands(capabilities)
        yield SectionCommand(
            "Evaluated Skills", "Each skill's status, date and comment, level by level"
        )

    async def fetch(self) -> None:
        progress = await self.api.evaluations()
        await self.remove_children()
        if not progress.levels:
            name = plain(self.student.first_name)
            await self.mount(
                self.empty(
                    "No skills evaluated yet — evaluations appear after the instructor "
                    f"assesses {name} in a class."
                )
            )
            return
        widgets: list[Static] = []
        for level in progress.levels:
            heading = safe(f"{level.level_name} — {summary(level)}")
            widgets.append(Static(heading, classes="level"))
            widgets.append(Static(skills_table(level), classes="skills"))
        await self.mount_all(widgets)
