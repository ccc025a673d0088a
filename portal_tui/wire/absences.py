"""A student's future absences: made by date and time or for one class session, listed,
cancelled; one given with enough notice earns a makeup token.

Requests carry wall-clock dates and times in the business's time zone; answers carry UTC
instants, which a client shows in that zone.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

from portal_tui.wire.common import (
    Id,
    LocalDate,
    LocalTime,
    PlainText,
    RequestModel,
    Version,
    WireModel,
    written,
)
from portal_tui.wire.students import MakeupTokenStatus

NOTE_MAX = 300


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("must be a local time without an offset")
    return value


WallTime = Annotated[LocalTime, BeforeValidator(written), AfterValidator(_without_offset)]
"""A wall-clock time in the business's time zone, HH:MM."""
Note = Annotated[PlainText, Field(max_length=NOTE_MAX, description="Why, for the staff")]


class AbsenceByDate(RequestModel):
    """Create Future Absence By Date: from a local date and time to a later one (a few hours
    or several days), in the business's time zone."""

    start_date: LocalDate
    start_time: WallTime
    end_date: LocalDate
    end_time: WallTime
    note: Note = ""


class AbsenceByEnrollment(RequestModel):
    """Create Future Absence By Enrollment: one of the student's current classes on one of
    its upcoming dates; the absence spans that session."""

    enrollment_id: Id = Field(description="A current regular enrollment of the student")
    session_date: LocalDate = Field(description="A local date the class meets on, upcoming")
    note: Note = ""


class EarnedToken(WireModel):
    """The makeup token an absence earned by its notice."""

    id: Id
    location_id: Id
    location_name: str
    status: MakeupTokenStatus
    expires_on: date


class AbsenceOut(WireModel):
    """A scheduled absence: its span (UTC instants), the class when made for one session,
    the note, and the makeup token it earned (None: none)."""

    id: Id
    student_id: Id
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    enrollment_id: Id | None
    class_name: str | None
    note: str
    makeup_token: EarnedToken | None
    version: Version


class UpcomingSession(WireModel):
    """A class session an absence may be given for (not cancelled, not yet begun)."""

    id: Id
    day: date
    """The local date it meets on."""
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class AbsenceClass(WireModel):
    """One of the student's current classes, with its upcoming sessions."""

    enrollment_id: Id
    class_name: str
    location_name: str
    sessions: list[UpcomingSession]
