"""Future Absences (S6): the student's scheduled absences, giving one by date or for one class
session, and cancelling one; an absence given with enough notice earns a makeup token."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable
from textual.worker import Worker, WorkerState

from portal_tui.screens.absence_forms import AbsenceByDateForm, AbsenceByEnrollmentForm
from portal_tui.screens.absence_labels import describe, span, token_issued, token_label
from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.failures import Remedy
from portal_tui.widgets.safe import safe_text
from portal_tui.wire.absences import AbsenceClass, AbsenceOut
from portal_tui.wire.family import Capabilities
from portal_tui.wire.students import MakeupTokenStatus

EMPTY = "No future absences scheduled. Create one By Date or By Enrollment."
ACTIONS = "absence-action"
"""The worker group of this view's writes and the reads that open a form."""


class AbsencesSection(StudentSection):
    """The student's absences that have not ended, with what each one earned."""

    SECTION_ID = "absences"
    TITLE = "Absences"
    DESCRIPTION = "The selected student's scheduled future absences"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("d", "add_by_date", "By Date", id="absence-by-date"),
        Binding("n", "add_by_enrollment", "By Enrollment", id="absence-by-enrollment"),
        Binding("x", "cancel_absence", "Cancel Absence", id="absence-cancel"),
    ]

    absences: list[AbsenceOut]

    @classmethod
    def enabled(cls, capabilities: Capabilities) -> bool:
        return bool(capabilities.future_absences)

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield SectionCommand("Future Absences", "The selected student's scheduled absences")
        yield SectionCommand(
            "Create Future Absence By Date",
            "Plan an absence from a start to an end date and time",
            "add_by_date",
        )
        yield SectionCommand(
            "Create Future Absence By Enrollment",
            "Plan an absence from one class on one date",
            "add_by_enrollment",
        )
        yield SectionCommand(
            "Cancel Future Absence", "Cancel the highlighted future absence", "cancel_absence"
        )

    # Showing

    async def fetch(self) -> None:
        self.absences = await self.api.absences()
        await self.remove_children()
        buttons = Horizontal(
            Button("Create By Date", id="absence-by-date-button", compact=True),
            Button("Create By Enrollment", id="absence-by-enrollment-button", compact=True),
            Button("Cancel Absence", id="absence-cancel-button", compact=True),
            classes="absence-actions",
        )
        line = ActionMessage(id="absence-message", keep=f"absences-{self.student.id}")
        if not self.absences:
            await self.mount_all([buttons, line, self.empty(EMPTY)])
        else:
            await self.mount_all([buttons, line, self._table()])

    def _table(self) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="absence-list")
        table.add_columns("When", "Class", "Note", "Makeup token")
        zone = self.zone
        for absence in self.absences:
            table.add_row(
                safe_text(span(absence.starts_at, absence.ends_at, zone)),
                safe_text(absence.class_name or "—"),
                safe_text(absence.note or "—"),
                safe_text(token_label(absence.makeup_token)),
                key=str(absence.id),
            )
        return table

    @property
    def message(self) -> ActionMessage:
        """The outcome line (kept when the list loads again)."""
        shown = next(self.query("#absence-message").results(ActionMessage), None)
        return shown or ActionMessage()  # not loaded yet: said nowhere

    def _changed(self) -> None:
        """Absences (and makeup tokens) changed: this list loads again, and the student's
        other views load again when next shown."""
        for view in self.screen.query(StudentSection):
            if view is not self:
                view.stale()
        self.reload()

    # Create By Date, Create By Enrollment

    @on(Button.Pressed, "#absence-by-date-button")
    def action_add_by_date(self) -> None:
        form = AbsenceByDateForm(self.api, self.student_name, self.zone)
        self.app.push_screen(form, self._saved)

    @on(Button.Pressed, "#absence-by-enrollment-button")
    def action_add_by_enrollment(self) -> None:
        self.message.done("Loading the classes…")
        self._run(self._open_by_enrollment())

    async def _open_by_enrollment(self) -> None:
        classes: list[AbsenceClass] = await self.api.absence_classes()
        if not classes:
            self.message.refused(f"{self.student_name} has no current classes to be absent from.")
            return
        self.message.clear()
        form = AbsenceByEnrollmentForm(self.api, self.student_name, self.zone, classes)
        self.app.push_screen(form, self._saved)

    def _saved(self, result: object) -> None:
        if not isinstance(result, AbsenceOut):
            return
        text = f"Absence saved: {describe(result, self.zone)}."
        if result.makeup_token is not None:
            text += f" {token_issued(result.makeup_token)}"
        self.message.done(text)
        self._changed()

    # Cancel Future Absence

    def highlighted(self) -> AbsenceOut | None:
        tables = self.query("#absence-list").results(DataTable)
        table = next(tables, None)
        if table is None or not self.absences:
            return None
        return self.absences[min(table.cursor_row, len(self.absences) - 1)]

    @on(Button.Pressed, "#absence-cancel-button")
    def action_cancel_absence(self) -> None:
        if not self.ready:  # not loaded yet: a palette entry runs this once it is
            return
        absence = self.highlighted()
        if absence is None:
            self.message.refused("There is no future absence to cancel.")
            return
        question = f"Cancel {self.student_name}'s absence {describe(absence, self.zone)}?"
        token = absence.makeup_token
        if token is not None and token.status is MakeupTokenStatus.AVAILABLE:
            question += " The makeup token it earned will be withdrawn."
        confirm = ConfirmScreen(question, confirm="Cancel Absence", keep="Keep")
        self.app.push_screen(confirm, partial(self._confirmed, absence))

    def _confirmed(self, absence: AbsenceOut, yes: bool | None) -> None:
        if yes:
            self.message.done("Cancelling…")
            self._run(self._cancel(absence))

    async def _cancel(self, absence: AbsenceOut) -> None:
        await self.api.cancel_absence(absence)
        text = f"Cancelled the absence {describe(absence, self.zone)}."
        if absence.makeup_token is not None:
            text += " The makeup token it earned was withdrawn."
        self.message.done(text)
        self._changed()

    # Failures of the writes here

    def _run(self, work: Awaitable[None]) -> None:
        self.run_worker(work, group=ACTIONS, exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != ACTIONS or event.state is not WorkerState.ERROR:
            return  # the view's own load: LazyView shows it
        event.prevent_default()  # an action's failure is said here only, not as a load's
        event.stop()
        failure = self.message.failed(event.worker.error, resume=self.reload)
        if failure.remedy is Remedy.REVIEW_CURRENT:
            self.reload()  # shown as it is now, with the reason above it
