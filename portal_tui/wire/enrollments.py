"""Changing a student's enrollments: cancel a waitlist place, drop a class, transfer to another.

Each request names the version of the enrollment it acts on (409 with the current one if it
changed). A transfer names the class to move into, one of the enrollment's transfer options.
"""

from __future__ import annotations

from pydantic import Field

from portal_tui.wire.common import Id, LocalTime, RequestModel, Version, WireModel


class EnrollmentChange(RequestModel):
    """Cancel a waitlist place or drop a class: the version of the enrollment as seen."""

    version: Version


class TransferRequest(RequestModel):
    """Move a current enrollment into another class (one of its transfer options)."""

    version: Version
    class_id: Id = Field(description="The class to move into.")


class TransferOption(WireModel):
    """A class an enrollment may move into: same level, still running, with a seat open."""

    class_id: Id
    class_name: str
    location_name: str
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start_time: LocalTime
    end_time: LocalTime
    instructor: str
    open_seats: int = Field(ge=1, description="Capacity minus current regular enrollments.")


ICS_MEDIA_TYPE = "text/calendar"
"""The schedule export's media type (an iCalendar file)."""
