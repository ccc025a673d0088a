"""A student's class schedule as an iCalendar file ("Export Schedule").

One weekly event per current regular enrollment, in the business's time zone (with its
VTIMEZONE): it starts at the class's first meeting on or after the enrollment's start, repeats
every week on the class's weekday until the enrollment or the class ends (if either has an end
date), and skips meetings the business cancelled. Its UID stays the same across exports, so a
calendar that imports the file again updates the event rather than adding a second one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from portal_tui.server import clock, tables
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.localtime import local_instant
from portal_tui.server.services.students import find_student
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UID_DOMAIN = "portal-tui"


def _first_meeting(start: date, weekday: int) -> date:
    """The first date on or after `start` that falls on `weekday` (0 = Monday)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _last_day(enrollment: tables.Enrollment, klass: tables.SchoolClass) -> date | None:
    ends = [day for day in (enrollment.end_date, klass.ends_on) if day is not None]
    return min(ends) if ends else None


def _event(
    enrollment: tables.Enrollment,
    klass: tables.SchoolClass,
    location: tables.Location,
    cancelled: list[datetime],
    zone: ZoneInfo,
    stamp: datetime,
) -> Event | None:
    """The class's weekly event for this enrollment (None if it never meets)."""
    first = _first_meeting(max(enrollment.start_date, klass.starts_on), klass.weekday)
    last = _last_day(enrollment, klass)
    if last is not None and first > last:
        return None
    start = datetime.combine(first, klass.start_time, zone)
    event = Event()
    event.add("uid", f"enrollment-{enrollment.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", klass.name)
    event.add("location", location.name)
    event.add("description", f"Instructor: {klass.instructor}" if klass.instructor else "")
    event.add("dtstart", start)
    event.add("dtend", datetime.combine(first, klass.end_time, zone))
    rule: dict[str, object] = {"freq": "weekly", "byday": BYDAY[klass.weekday]}
    if last is not None:
        # With a zoned DTSTART, UNTIL is a UTC instant (RFC 5545): the end of the last day.
        rule["until"] = local_instant(last, time(23, 59, 59), zone)
    event.add("rrule", rule)
    skipped = [s.astimezone(zone) for s in cancelled if s.astimezone(zone) >= start]
    if skipped:
        event.add("exdate", skipped)
    return event


def student_schedule(family: FamilyAccess, student_id: int) -> bytes:
    """The student's current classes as an iCalendar file (404 if not this family's)."""
    student = find_student(family, student_id)
    zone = family.zone
    rows = family.db.execute(
        select(tables.Enrollment, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(
            tables.Enrollment.student_id == student.id,
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
        )
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.Enrollment.id)
    ).all()
    stamp = clock.now()
    cancelled: dict[int, list[datetime]] = {}
    for session in family.db.scalars(
        select(tables.ClassSession).where(
            tables.ClassSession.class_id.in_([klass.id for _, klass, _ in rows]),
            tables.ClassSession.cancelled.is_(True),
        )
    ):
        cancelled.setdefault(session.class_id, []).append(session.starts_at)

    calendar = Calendar()
    calendar.add("prodid", f"-//Portal TUI//{family.business_name}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{student.full_name}: classes")
    for enrollment, klass, location in rows:
        event = _event(enrollment, klass, location, cancelled.get(klass.id, []), zone, stamp)
        if event is not None:
            calendar.add_component(event)
    calendar.add_missing_timezones()
    ics: bytes = calendar.to_ical()
    return ics
