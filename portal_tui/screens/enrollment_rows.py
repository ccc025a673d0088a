"""How an enrollment row reads ("Waitlist #2", "Swim Level 3 (Downtown, Sun 11:00–11:45)")
and which of the actions a setting can turn off apply to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal_tui.screens.class_times import class_when, seats_open
from portal_tui.wire.enrollments import TransferOption
from portal_tui.wire.family import Capabilities
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, EnrollmentStatus

KIND_LABELS = {
    EnrollmentKind.REGULAR: "Enrolled",
    EnrollmentKind.WAITLIST: "Waitlist",
    EnrollmentKind.MAKEUP: "Makeup",
}
ENDED_LABELS = {
    EnrollmentStatus.PAST: "Ended",
    EnrollmentStatus.DROPPED: "Dropped",
    EnrollmentStatus.CANCELLED: "Cancelled",
}


def when(enrollment: EnrollmentOut) -> str:
    """Its weekday and times, e.g. "Mon 16:00–16:45"."""
    return class_when(enrollment.weekday, enrollment.start_time, enrollment.end_time)


def status_label(enrollment: EnrollmentOut) -> str:
    """In words: "Enrolled", "Waitlist #2", "Makeup", or how it ended ("Dropped")."""
    if enrollment.status is not EnrollmentStatus.CURRENT:
        return f"{ENDED_LABELS[enrollment.status]} ({KIND_LABELS[enrollment.kind].lower()})"
    label = KIND_LABELS[enrollment.kind]
    if enrollment.waitlist_position is not None:
        label += f" #{enrollment.waitlist_position}"
    return label


def describe(enrollment: EnrollmentOut) -> str:
    """The class as a person names it: "Swim Level 3 (Downtown, Sun 11:00–11:45)"."""
    return f"{enrollment.class_name} ({enrollment.location_name}, {when(enrollment)})"


def is_waitlisted(enrollment: EnrollmentOut) -> bool:
    return (
        enrollment.kind is EnrollmentKind.WAITLIST and enrollment.status is EnrollmentStatus.CURRENT
    )


def is_current_class(enrollment: EnrollmentOut) -> bool:
    return (
        enrollment.kind is EnrollmentKind.REGULAR and enrollment.status is EnrollmentStatus.CURRENT
    )


@dataclass(frozen=True)
class RowAction:
    """An action on the highlighted row that a setting can turn off."""

    label: str
    """The portal's label (palette entry)."""
    help: str
    key: str
    allowed: Callable[[Capabilities], bool]
    eligible: Callable[[EnrollmentOut], bool]
    why_not: str
    """What to highlight instead, when the row is not one it applies to."""


ROW_ACTIONS = {
    "cancel_waitlist": RowAction(
        "Cancel Waitlist",
        "Give up the highlighted waitlist place",
        "c",
        lambda c: c.cancel_waitlist,
        is_waitlisted,
        "Highlight a waitlist place to cancel it.",
    ),
    "drop": RowAction(
        "Drop Enrollments",
        "Leave the highlighted class",
        "d",
        lambda c: c.drop_enrollments,
        is_current_class,
        "Highlight a current class to drop it.",
    ),
    "transfer": RowAction(
        "Transfer Enrollments",
        "Move the highlighted class to another one",
        "t",
        lambda c: c.transfer_enrollments,
        is_current_class,
        "Highlight a current class to transfer it.",
    ),
}
"""By action name: Cancel Waitlist, Drop and Transfer, each only when the business allows."""


def transfer_choice(option: TransferOption) -> str:
    """A class to transfer into: name, where, when, who teaches, and its open seats."""
    when = class_when(option.weekday, option.start_time, option.end_time)
    teacher = f" · {option.instructor}" if option.instructor else ""
    return f"{option.class_name} · {option.location_name} · {when}{teacher} · " + seats_open(
        option.open_seats
    )
