"""Enrollments through the write path: cancel a waitlist place, drop, transfer, the schedule.

Demo facts used: Mia Rivera is in Swim Level 3 (Downtown) and Gymnastics Beginner (Northside)
and was in Swim Level 2 (past); Ava is second on Downtown gymnastics' full waitlist.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from portal_tui.wire.enrollments import TransferOption
from portal_tui.wire.students import EnrollmentKind, EnrollmentOut, EnrollmentStatus, StudentOut
from tests.server.conftest import family_path, login
from tests.servers import database, set_settings

TODAY = date(2026, 3, 2)


def bearer(api: TestClient, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(api, email)}"}


def send(api: TestClient, auth: dict[str, str], method: str, path: str, **kwargs: Any) -> Any:
    return api.request(method, f"/api/v1{family_path(api, auth)}{path}", headers=auth, **kwargs)


def students(api: TestClient, auth: dict[str, str]) -> dict[str, StudentOut]:
    response = send(api, auth, "GET", "/students")
    assert response.status_code == 200, response.text
    found = [StudentOut.model_validate(s) for s in response.json()]
    return {s.first_name: s for s in found}


def enrollment(
    api: TestClient, auth: dict[str, str], student: str, class_name: str, **match: Any
) -> EnrollmentOut:
    """The student's enrollment in `class_name` (current unless `status` says otherwise)."""
    match.setdefault("status", EnrollmentStatus.CURRENT)
    return next(
        e
        for e in students(api, auth)[student].enrollments
        if e.class_name == class_name and all(getattr(e, k) == v for k, v in match.items())
    )


def audit_rows(db_url: str) -> list[tables.AuditEntry]:
    with database(db_url) as db:
        return list(db.scalars(select(tables.AuditEntry).order_by(tables.AuditEntry.id)))


def class_id(db_url: str, name: str, location: str) -> int:
    with database(db_url) as db:
        return db.scalars(
            select(tables.SchoolClass.id)
            .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
            .where(tables.SchoolClass.name == name, tables.Location.name == location)
        ).one()


def waitlist(db_url: str, klass: int) -> dict[int, int | None]:
    """Enrollment id → waitlist position of every current place on a class's waitlist."""
    with database(db_url) as db:
        rows = db.scalars(
            select(tables.Enrollment).where(
                tables.Enrollment.class_id == klass,
                tables.Enrollment.kind == EnrollmentKind.WAITLIST,
                tables.Enrollment.status == EnrollmentStatus.CURRENT,
            )
        )
        return {row.id: row.waitlist_position for row in rows}


@pytest.fixture
def all_on(db_url: str) -> str:
    set_settings(
        db_url, cancel_waitlist="true", drop_enrollments="true", transfer_enrollments="true"
    )
    return db_url


# Cancel Waitlist


def test_cancelling_a_waitlist_place_moves_those_behind_it_up(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    place = enrollment(api, auth, "Ava", "Gymnastics Beginner", kind=EnrollmentKind.WAITLIST)
    with database(all_on) as db:
        leo = db.scalars(select(tables.Student).where(tables.Student.first_name == "Leo")).one()
        behind = tables.Enrollment(
            student_id=leo.id,
            class_id=place.class_id,
            kind=EnrollmentKind.WAITLIST,
            start_date=TODAY,
            waitlist_position=3,
        )
        db.add(behind)
        db.flush()
        behind_id = behind.id
    before = waitlist(all_on, place.class_id)
    assert before[place.id] == 2 and before[behind_id] == 3
    response = send(
        api, auth, "POST", f"/waitlist/{place.id}/cancel", json={"version": place.version}
    )
    assert response.status_code == 200, response.text
    cancelled = EnrollmentOut.model_validate(response.json())
    assert cancelled.status is EnrollmentStatus.CANCELLED and cancelled.end_date == TODAY
    after = waitlist(all_on, place.class_id)
    assert place.id not in after and after[behind_id] == 2
    first = next(i for i, p in before.items() if p == 1)
    assert after[first] == 1
    row = audit_rows(all_on)[-1]
    assert row.action == "enrollment.cancel_waitlist"
    assert row.records["enrollment"] == place.id and row.actor_user_id and row.client_address
    assert row.detail["moved_up"] == 1


def test_cancelling_what_is_not_a_waitlist_place_is_refused(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    regular = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    before, rows = students(api, auth), len(audit_rows(all_on))
    response = send(
        api, auth, "POST", f"/waitlist/{regular.id}/cancel", json={"version": regular.version}
    )
    assert response.status_code == 422
    assert "not on a waitlist" in response.json()["error"]["message"]
    assert students(api, auth) == before and len(audit_rows(all_on)) == rows


# Drop Enrollments


def test_dropping_a_current_class_ends_it_today_with_an_audit_row(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    response = send(api, auth, "POST", f"/enrollments/{gym.id}/drop", json={"version": gym.version})
    assert response.status_code == 200, response.text
    dropped = enrollment(api, auth, "Mia", "Gymnastics Beginner", id=gym.id, status="dropped")
    assert dropped.end_date == TODAY and dropped.version > gym.version
    row = audit_rows(all_on)[-1]
    assert row.action == "enrollment.drop" and row.records["enrollment"] == gym.id


@pytest.mark.parametrize("action", ["drop", "transfer"])
def test_a_past_enrollment_cannot_be_dropped_or_transferred(
    api: TestClient, auth: dict[str, str], all_on: str, action: str
) -> None:
    past = enrollment(api, auth, "Mia", "Swim Level 2", status=EnrollmentStatus.PAST)
    body: dict[str, Any] = {"version": past.version}
    if action == "transfer":
        body["class_id"] = class_id(all_on, "Swim Level 2", "Lakeview")
    before, rows = students(api, auth), len(audit_rows(all_on))
    response = send(api, auth, "POST", f"/enrollments/{past.id}/{action}", json=body)
    assert response.status_code == 422
    assert "has ended" in response.json()["error"]["message"]
    assert students(api, auth) == before and len(audit_rows(all_on)) == rows


def test_a_waitlist_place_cannot_be_dropped(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    place = enrollment(api, auth, "Ava", "Gymnastics Beginner", kind=EnrollmentKind.WAITLIST)
    response = send(
        api, auth, "POST", f"/enrollments/{place.id}/drop", json={"version": place.version}
    )
    assert response.status_code == 422 and "waitlist" in response.json()["error"]["message"]


# Transfer Enrollments


def test_transfer_options_are_same_level_running_classes_with_a_seat(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    response = send(api, auth, "GET", f"/enrollments/{gym.id}/transfer-options")
    assert response.status_code == 200, response.text
    options = [TransferOption.model_validate(o) for o in response.json()]
    # Northside is the class she leaves; Downtown's is full; Lakeview's has 8 seats.
    assert [(o.class_name, o.location_name, o.open_seats) for o in options] == [
        ("Gymnastics Beginner", "Lakeview", 8)
    ]
    assert options[0].instructor == "Priya Shah"


def test_a_transfer_ends_the_old_class_and_starts_the_new_one_in_one_write(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    lakeview = class_id(all_on, "Gymnastics Beginner", "Lakeview")
    response = send(
        api,
        auth,
        "POST",
        f"/enrollments/{gym.id}/transfer",
        json={"version": gym.version, "class_id": lakeview},
    )
    assert response.status_code == 200, response.text
    moved = EnrollmentOut.model_validate(response.json())
    assert moved.class_id == lakeview and moved.location_name == "Lakeview"
    assert moved.kind is EnrollmentKind.REGULAR and moved.status is EnrollmentStatus.CURRENT
    assert moved.start_date == TODAY
    old = enrollment(api, auth, "Mia", "Gymnastics Beginner", id=gym.id, status="past")
    assert old.end_date == TODAY
    row = audit_rows(all_on)[-1]
    assert row.action == "enrollment.transfer"
    assert row.records["enrollment"] == gym.id and row.records["new_enrollment"] == moved.id
    assert row.detail == {"from_class": gym.class_id, "to_class": lakeview}


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (("Gymnastics Beginner", "Downtown"), "full"),
        (("Gymnastics Beginner", "Northside"), "leaving"),
        (("Swim Level 1", "Northside"), "same level"),
    ],
)
def test_a_transfer_into_a_full_same_or_other_level_class_is_refused(
    api: TestClient, auth: dict[str, str], all_on: str, target: tuple[str, str], words: str
) -> None:
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    before, rows = students(api, auth), len(audit_rows(all_on))
    body = {"version": gym.version, "class_id": class_id(all_on, *target)}
    response = send(api, auth, "POST", f"/enrollments/{gym.id}/transfer", json=body)
    assert response.status_code == 422, response.text
    assert words in response.json()["error"]["fields"]["class_id"]
    assert students(api, auth) == before and len(audit_rows(all_on)) == rows


def test_a_transfer_into_a_class_that_filled_meanwhile_is_refused(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    lakeview = class_id(all_on, "Gymnastics Beginner", "Lakeview")
    with database(all_on) as db:
        klass = db.get(tables.SchoolClass, lakeview)
        assert klass is not None
        klass.capacity = 0
    body = {"version": gym.version, "class_id": lakeview}
    response = send(api, auth, "POST", f"/enrollments/{gym.id}/transfer", json=body)
    assert response.status_code == 422 and "full" in response.json()["error"]["message"]
    assert send(api, auth, "GET", f"/enrollments/{gym.id}/transfer-options").json() == []


# What every write shares


def calls(db_url: str, api: TestClient, auth: dict[str, str]) -> dict[str, tuple[str, Any]]:
    """Each write as (path, body) on a record it applies to."""
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    place = enrollment(api, auth, "Ava", "Gymnastics Beginner", kind=EnrollmentKind.WAITLIST)
    lakeview = class_id(db_url, "Gymnastics Beginner", "Lakeview")
    return {
        "cancel_waitlist": (f"/waitlist/{place.id}/cancel", {"version": place.version}),
        "drop_enrollments": (f"/enrollments/{gym.id}/drop", {"version": gym.version}),
        "transfer_enrollments": (
            f"/enrollments/{gym.id}/transfer",
            {"version": gym.version, "class_id": lakeview},
        ),
    }


@pytest.mark.parametrize("setting", ["cancel_waitlist", "drop_enrollments", "transfer_enrollments"])
def test_a_setting_that_is_off_is_403_even_called_directly(
    api: TestClient, auth: dict[str, str], all_on: str, setting: str
) -> None:
    set_settings(all_on, **{setting: "false"})
    path, body = calls(all_on, api, auth)[setting]
    before = students(api, auth)
    response = send(api, auth, "POST", path, json=body)
    assert response.status_code == 403, response.text
    assert "cannot be" in response.json()["error"]["message"]
    assert students(api, auth) == before
    if setting == "transfer_enrollments":
        options = path.replace("/transfer", "/transfer-options")
        assert send(api, auth, "GET", options).status_code == 403


@pytest.mark.parametrize("setting", ["cancel_waitlist", "drop_enrollments", "transfer_enrollments"])
def test_a_stale_version_is_409_with_the_current_enrollment(
    api: TestClient, auth: dict[str, str], all_on: str, setting: str
) -> None:
    path, body = calls(all_on, api, auth)[setting]
    record_id = int(path.split("/")[2])
    with database(all_on) as db:  # someone else changes it: its version moves on
        row = db.get(tables.Enrollment, record_id)
        assert row is not None
        row.start_date -= timedelta(days=1)
    before = students(api, auth)
    response = send(api, auth, "POST", path, json=body)
    assert response.status_code == 409, response.text
    current = EnrollmentOut.model_validate(response.json()["current"])
    assert current.id == record_id and current.version == body["version"] + 1
    assert students(api, auth) == before


def test_another_familys_enrollment_is_404(
    api: TestClient, auth: dict[str, str], all_on: str
) -> None:
    other = bearer(api, OTHER_FAMILY_EMAIL)
    theirs = enrollment(api, other, "Linh", "Gymnastics Beginner")
    lakeview = class_id(all_on, "Gymnastics Beginner", "Lakeview")
    for path, body in [
        (f"/enrollments/{theirs.id}/drop", {"version": theirs.version}),
        (f"/enrollments/{theirs.id}/transfer", {"version": theirs.version, "class_id": lakeview}),
        (f"/waitlist/{theirs.id}/cancel", {"version": theirs.version}),
    ]:
        assert send(api, auth, "POST", path, json=body).status_code == 404
    assert send(api, auth, "GET", f"/enrollments/{theirs.id}/transfer-options").status_code == 404
    their_student = students(api, other)["Linh"].id
    assert send(api, auth, "GET", f"/students/{their_student}/schedule.ics").status_code == 404
    assert enrollment(api, other, "Linh", "Gymnastics Beginner") == theirs


# Export Schedule


def test_the_schedule_is_a_weekly_event_per_current_class_in_the_business_zone(
    api: TestClient, auth: dict[str, str]
) -> None:
    mia = students(api, auth)["Mia"]
    response = send(api, auth, "GET", f"/students/{mia.id}/schedule.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    current = [
        e
        for e in mia.enrollments
        if e.kind is EnrollmentKind.REGULAR and e.status is EnrollmentStatus.CURRENT
    ]
    assert sorted(events) == sorted(e.class_name for e in current) and len(current) == 2
    for e in current:
        event = events[e.class_name]
        rule = event["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        assert rule["BYDAY"] == [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[e.weekday]]
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(start.tzinfo) == "America/Chicago"
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert start.weekday() == e.weekday and start.time() == e.start_time
        assert event.decoded("DTEND").time() == e.end_time
        assert str(event["LOCATION"]) == e.location_name
        assert e.instructor and e.instructor in str(event["DESCRIPTION"])
        assert str(event["UID"]) == f"enrollment-{e.id}@portal-tui"
    again = send(api, auth, "GET", f"/students/{mia.id}/schedule.ics")
    assert [str(e["UID"]) for e in Calendar.from_ical(again.content).walk("VEVENT")] == [
        str(e["UID"]) for e in calendar.walk("VEVENT")
    ]


def test_a_class_that_ends_repeats_until_its_last_day(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    mia = students(api, auth)["Mia"]
    gym = enrollment(api, auth, "Mia", "Gymnastics Beginner")
    with database(db_url) as db:
        klass = db.get(tables.SchoolClass, gym.class_id)
        assert klass is not None
        klass.ends_on = date(2026, 5, 28)
    exported = send(api, auth, "GET", f"/students/{mia.id}/schedule.ics")
    calendar = Calendar.from_ical(exported.content)
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == gym.class_name)
    until = event["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.date() == date(2026, 5, 29)  # 23:59 CDT in UTC


def test_a_meeting_the_business_cancelled_is_left_out_of_the_schedule(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ava = students(api, auth)["Ava"]
    swim = enrollment(api, auth, "Ava", "Swim Level 1")
    with database(db_url) as db:
        cancelled = db.scalars(
            select(tables.ClassSession).where(
                tables.ClassSession.class_id == swim.class_id,
                tables.ClassSession.cancelled.is_(True),
            )
        ).one()
        skipped = cancelled.starts_at
    exported = send(api, auth, "GET", f"/students/{ava.id}/schedule.ics")
    event = next(e for e in Calendar.from_ical(exported.content).walk("VEVENT"))
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert exdates == [skipped] and str(exdates[0].tzinfo) == "America/Chicago"
