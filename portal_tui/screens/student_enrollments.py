"""Enrollments (S2): the student's classes, waitlist places and past enrollments, and what the
business lets the family do with them: Cancel Waitlist, Drop, Transfer, Export Schedule.

Each action works on the highlighted row, asks first (naming the class and the student), and
is offered only when the business allows it: no key, palette entry or footer hint otherwise.
The server checks every rule again; a refusal is said in place and the list stays as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from portal_tui.screens.class_times import class_when
from portal_tui.screens.enrollment_rows import (
    ROW_ACTIONS,
    describe,
    is_waitlisted,
    status_label,
    transfer_choice,
    when,
)
from portal_tui.screens.schedule_export import ScheduleExportForm
from portal_tui.screens.student_section import SectionCommand, StudentSection
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.failures import Remedy
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.widgets.safe import safe, safe_text
from portal_tui.wire.enrollments import TransferOption
from portal_tui.wire.family import Capabilities
from portal_tui.wire.students import EnrollmentOut, EnrollmentStatus


class EnrollmentsSection(StudentSection):
    """The student's enrollments: current ones, waitlist places (shown unless hidden) and
    past ones (hidden unless shown)."""

    SECTION_ID = "enrollments"
    TITLE = "Enrollments"
    DESCRIPTION = "The selected student's classes"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("w", "toggle_waitlist", "Waitlist", id="enrollments-waitlist"),
        Binding("p", "toggle_past", "Past", id="enrollments-past"),
        Binding("c", "cancel_waitlist", "Cancel Waitlist", id="enrollments-cancel-waitlist"),
        Binding("d", "drop", "Drop", id="enrollments-drop"),
        Binding("t", "transfer", "Transfer", id="enrollments-transfer"),
        Binding("s", "export_schedule", "Export Schedule", id="enrollments-export"),
    ]

    enrollments: list[EnrollmentOut]
    """Every enrollment of the student, as last read (a conflict puts the current one in)."""
    show_waitlist = True
    """Waitlist places are listed (Show/Hide Waitlist Enrollments)."""
    show_past = False
    """Ended, dropped and cancelled enrollments are listed (Show/Hide Past Enrollments)."""

    @classmethod
    def commands(cls, capabilities: Capabilities) -> Iterator[SectionCommand]:
        yield SectionCommand(
            "View Current Enrollments", "The selected student's current classes", "show_current"
        )
        yield SectionCommand(
            "Show/Hide Waitlist Enrollments", "List waitlist places or not", "toggle_waitlist"
        )
        yield SectionCommand(
            "Show/Hide Past Enrollments", "List ended enrollments or not", "toggle_past"
        )
        for name, action in ROW_ACTIONS.items():
            if action.allowed(capabilities):
                yield SectionCommand(action.label, action.help, name)
        yield SectionCommand(
            "Export Schedule", "Save the current classes as a calendar file", "export_schedule"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An action the business turned off does not exist here (no key, no footer hint)."""
        row_action = ROW_ACTIONS.get(action)
        return row_action is None or row_action.allowed(self.capabilities)

    # Showing

    async def fetch(self) -> None:
        await self.remove_children()
        self.enrollments = list(self.student.enrollments)
        table: DataTable[Text] = DataTable(
            cursor_type="row", zebra_stripes=True, classes="enrollments", id="enrollments-table"
        )
        table.add_columns("Class", "When", "Status", "Instructor", "Location", "Start", "End")
        await self.mount_all(
            [
                Static("", markup=False, id="enrollments-shown"),
                table,
                Static("", markup=False, id="enrollments-actions"),
                self.empty(""),
                ActionMessage(id="enrollments-message", keep=f"enrollments-{self.student.id}"),
            ]
        )
        self.render_rows()

    def listed(self) -> list[EnrollmentOut]:
        return [
            e
            for e in self.enrollments
            if (e.status is EnrollmentStatus.CURRENT or self.show_past)
            and (not is_waitlisted(e) or self.show_waitlist)
        ]

    def render_rows(self) -> None:
        """The rows the toggles let through, the line saying what is hidden, or the empty
        state saying what to do (nothing before the view is loaded)."""
        table = next(self.query("#enrollments-table").results(DataTable), None)
        if table is None:
            return
        chosen = self.highlighted()
        table.clear()
        for e in self.listed():
            cells = (
                e.class_name,
                when(e),
                status_label(e),
                e.instructor,
                e.location_name,
                e.start_date.isoformat(),
                e.end_date.isoformat() if e.end_date else "",
            )
            table.add_row(*map(safe_text, cells), key=str(e.id))
        if chosen is not None and str(chosen.id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(chosen.id)))
        shown = ["current classes"]
        hidden: list[str] = []
        for listed, what, key in (
            (self.show_waitlist, "waitlist places", "w"),
            (self.show_past, "past enrollments", "p"),
        ):
            if listed:
                shown.append(what)
            else:
                hidden.append(f"{what} (press {key} to show)")
        line = f"Showing {' and '.join(shown)}."
        line += f" Hidden: {', '.join(hidden)}." if hidden else ""
        self.query_one("#enrollments-shown", Static).update(safe(line))
        empty = self.query_one(".empty", Static)
        table.display = bool(table.row_count)
        empty.display = not table.row_count
        if not table.row_count:
            empty.update(safe(self._empty_message()))
        self.offer_actions()

    def _empty_message(self) -> str:
        """What there is not, and what to do about it."""
        name = self.student_name
        if any(e.status is EnrollmentStatus.CURRENT for e in self.enrollments):
            return f"{name} has only waitlist places, now hidden: press w to show them."
        none = f"{name} has no current enrollments."
        if self.enrollments and not self.show_past:
            return f"{none} Press p to show past enrollments."
        return f"{none} Classes are booked with the business: contact them to enroll."

    def on_data_table_row_highlighted(self) -> None:
        self.offer_actions()

    def offer_actions(self) -> None:
        """Under the list: what may be done with the highlighted row (only what applies)."""
        chosen = self.highlighted()
        offered = [
            f"{action.key} {action.label}"
            for action in ROW_ACTIONS.values()
            if chosen is not None and action.allowed(self.capabilities) and action.eligible(chosen)
        ]
        line = self.query_one("#enrollments-actions", Static)
        if chosen is None:
            line.update("")
        elif offered:
            line.update(safe(f"{chosen.class_name}: {' · '.join(offered)}"))
        else:
            line.update(safe(f"{chosen.class_name}: nothing to change here in the portal."))

    def highlighted(self) -> EnrollmentOut | None:
        """The enrollment of the highlighted row (None when the list is empty or not loaded)."""
        table = next(self.query("#enrollments-table").results(DataTable), None)
        if table is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.enrollments if str(e.id) == key), None)

    @property
    def message(self) -> ActionMessage:
        """The view's one message line: what happened, or why nothing did."""
        shown = next(self.query("#enrollments-message").results(ActionMessage), None)
        return shown or ActionMessage()  # not loaded yet: said nowhere

    def action_show_current(self) -> None:
        self.show_past = False
        self.render_rows()
        for table in self.query("#enrollments-table"):
            table.focus()

    def action_toggle_waitlist(self) -> None:
        self.show_waitlist = not self.show_waitlist
        self.render_rows()

    def action_toggle_past(self) -> None:
        self.show_past = not self.show_past
        self.render_rows()

    # Acting on the highlighted row

    def _chosen(self, name: str) -> EnrollmentOut | None:
        """The highlighted enrollment if action `name` applies to it; otherwise say why not."""
        action = ROW_ACTIONS[name]
        chosen = self.highlighted()
        if chosen is None:
            self.message.refused(f"There is nothing to act on. {action.why_not}")
        elif not action.eligible(chosen):
            status = status_label(chosen).lower()
            self.message.refused(f"{describe(chosen)} is {status}. {action.why_not}")
            return None
        return chosen

    def _ask(self, question: str, confirm: str, work: Callable[[], Awaitable[None]]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._run("Sending…", work())

        self.app.push_screen(ConfirmScreen(question, confirm=confirm), answered)

    def _run(self, doing: str, work: Awaitable[None]) -> None:
        """Say what is under way and do it in a worker (its failure: on_worker_state_changed)."""
        self.message.done(doing)
        self.run_worker(work, group="action", exclusive=True, exit_on_error=False)

    def action_cancel_waitlist(self) -> None:
        place = self._chosen("cancel_waitlist")
        if place is not None:
            question = f"Cancel {self.student_name}'s waitlist place in {describe(place)}?"
            self._ask(question, "Cancel Waitlist", partial(self._cancel_waitlist, place))

    async def _cancel_waitlist(self, place: EnrollmentOut) -> None:
        await self.api.cancel_waitlist(place)
        self._done(f"Cancelled {self.student_name}'s waitlist place in {place.class_name}.")

    def action_drop(self) -> None:
        enrollment = self._chosen("drop")
        if enrollment is not None:
            question = f"Drop {describe(enrollment)} for {self.student_name}? It ends today."
            self._ask(question, "Drop", partial(self._drop, enrollment))

    async def _drop(self, enrollment: EnrollmentOut) -> None:
        await self.api.drop(enrollment)
        self._done(f"Dropped {enrollment.class_name} for {self.student_name}.")

    def action_transfer(self) -> None:
        enrollment = self._chosen("transfer")
        if enrollment is not None:
            self._run("Finding classes with an open seat…", self._offer_transfer(enrollment))

    async def _offer_transfer(self, enrollment: EnrollmentOut) -> None:
        options = await self.api.transfer_options(enrollment)
        if not options:
            self.message.refused(
                f"No other {enrollment.class_name} class has an open seat now, "
                "so there is nowhere to transfer to."
            )
            return
        self.message.clear()
        picker = PickScreen(
            f"Transfer Enrollments: {self.student_name}",
            [(o.class_id, transfer_choice(o)) for o in options],
            intro=f"Leaving {describe(enrollment)}. Same-level classes with a seat open "
            "(you confirm before anything changes):",
        )
        self.app.push_screen(picker, partial(self._transfer_picked, enrollment, options))

    def _transfer_picked(
        self, enrollment: EnrollmentOut, options: list[TransferOption], picked: int | None
    ) -> None:
        option = next((o for o in options if o.class_id == picked), None)
        if option is None:
            return
        into = f"{option.class_name} ({option.location_name}, "
        into += f"{class_when(option.weekday, option.start_time, option.end_time)})"
        question = (
            f"Transfer {self.student_name} from {describe(enrollment)} to {into}? "
            "The old class ends today and the new one starts today."
        )
        self._ask(question, "Transfer", partial(self._transfer, enrollment, option))

    async def _transfer(self, enrollment: EnrollmentOut, option: TransferOption) -> None:
        await self.api.transfer(enrollment, option.class_id)
        self._done(
            f"Transferred {self.student_name} from {enrollment.class_name} at "
            f"{enrollment.location_name} to {option.class_name} at {option.location_name}."
        )

    def _done(self, message: str) -> None:
        """A write succeeded: say so, and read the student's enrollments again."""
        self.message.done(message)
        self.student_changed()

    def action_export_schedule(self) -> None:
        form = ScheduleExportForm(self.api, self.student_name)
        self.app.push_screen(form, self._exported)

    def _exported(self, result: object) -> None:
        if isinstance(result, list) and result:
            self.message.done(f"Saved {self.student_name}'s schedule to {result[0]}")

    # Failures of an action: said in place, nothing else changes

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "action" or event.state is not WorkerState.ERROR:
            return  # the view's own load: LazyView shows it
        event.prevent_default()
        event.stop()
        failure = self.message.failed(
            event.worker.error,
            resume=lambda: self.message.done("Signed in again: try again."),
            unchanged="Nothing changed.",
        )
        current = failure.current
        if failure.remedy is Remedy.REVIEW_CURRENT and isinstance(current, EnrollmentOut):
            self.enrollments = [current if e.id == current.id else e for e in self.enrollments]
            self.render_rows()  # shown as it is now
