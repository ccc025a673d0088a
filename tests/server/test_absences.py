"""Future absences through the write path: the span rules, the makeup token for notice,
cancelling (and what it does to the token), the setting, other families, versions, audit,
and refusals changing nothing. Today is PORTAL_TODAY (Monday 2026-03-02), Chicago time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.absences import AbsenceClass, AbsenceOut
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from portal_tui.wire.students import MakeupTokenStatus, StudentOut
from tests.server.conftest import family_path, login
from tests.servers import set_settings

CHICAGO = ZoneInfo("America/Chicago")
TODAY = date(2026, 3, 2)
NEXT_THURSDAY = date(2026, 3, 12)
"""Mia's Gymnastics Beginner (Northside) meets on Thursdays at 17:00–18:00."""


class Family:
    """The signed-in guardian's family, spoken to as the app does."""

    def __init__(self, api: TestClient, email: str | None = None) -> None:
        self.api = api
        token = login(api, email) if email else login(api)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.path = f"/api/v1{family_path(api, self.auth)}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.api.request(method, f"{self.path}{path}", headers=self.auth, **kwargs)

    def student(self, first_name: str) -> StudentOut:
        students = self.call("GET", "/students").json()
        return next(StudentOut.model_validate(s) for s in students if s["first_name"] == first_name)

    def absences(self, student_id: int) -> list[AbsenceOut]:
        response = self.call("GET", f"/students/{student_id}/absences")
        assert response.status_code == 200, response.text
        return [AbsenceOut.model_validate(a) for a in response.json()]

    def classes(self, student_id: int) -> list[AbsenceClass]:
        response = self.call("GET", f"/students/{student_id}/absences/sessions")
        assert response.status_code == 200, response.text
        return [AbsenceClass.model_validate(c) for c in response.json()]

    def by_date(self, student_id: int, **body: Any) -> Any:
        return self.call("POST", f"/students/{student_id}/absences", json=body)

    def by_enrollment(self, student_id: int, **body: Any) -> Any:
        return self.call("POST", f"/students/{student_id}/absences/by-enrollment", json=body)


@pytest.fixture
def rivera(api: TestClient) -> Family:
    return Family(api)


def span(start: date, start_time: str, end: date, end_time: str, note: str = "") -> dict[str, Any]:
    return {
        "start_date": start.isoformat(),
        "start_time": start_time,
        "end_date": end.isoformat(),
        "end_time": end_time,
        "note": note,
    }


def stored(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every absence, makeup token and audit row, to show a refusal changed nothing."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = {
            table.__tablename__: [
                tuple(getattr(row, c.key) for c in table.__table__.columns)
                for row in db.scalars(select(table).order_by(table.id))
            ]
            for table in (tables.FutureAbsence, tables.MakeupToken, tables.AuditEntry)
        }
    engine.dispose()
    return rows


def audit_rows(db_url: str, action: str) -> list[tables.AuditEntry]:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = list(db.scalars(select(tables.AuditEntry).where(tables.AuditEntry.action == action)))
    engine.dispose()
    return rows


def token_row(db_url: str, token_id: int) -> tables.MakeupToken | None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        row = db.get(tables.MakeupToken, token_id)
    engine.dispose()
    return row


def set_token_status(db_url: str, token_id: int, status: MakeupTokenStatus) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        row = db.get(tables.MakeupToken, token_id)
        assert row is not None
        row.status = status
    engine.dispose()


# Listing


def test_the_list_shows_each_absence_with_its_class_note_and_token(rivera: Family) -> None:
    mia, leo = rivera.student("Mia"), rivera.student("Leo")
    (trip,) = rivera.absences(mia.id)
    assert trip.note == "Family trip" and trip.class_name is None and trip.makeup_token is None
    assert trip.starts_at.astimezone(CHICAGO) == datetime(2026, 3, 26, 0, 0, tzinfo=CHICAGO)
    (dentist,) = rivera.absences(leo.id)
    assert dentist.class_name == "Swim Level 2" and dentist.enrollment_id is not None


def test_the_sessions_are_the_current_classes_upcoming_uncancelled_dates(rivera: Family) -> None:
    ava = rivera.student("Ava")
    (swim,) = rivera.classes(ava.id)  # her waitlist place is not a current class
    assert swim.class_name == "Swim Level 1" and swim.location_name == "Northside"
    days = [s.day for s in swim.sessions]
    assert days[0] == date(2026, 3, 2) or days[0] == date(2026, 3, 9)
    assert date(2026, 3, 23) not in days  # the holiday closure three weeks ahead
    assert date(2026, 3, 16) in days and date(2026, 3, 30) in days


# Creating by date, and the token for notice


def test_an_absence_with_notice_earns_a_token_at_the_class_location(
    rivera: Family, db_url: str
) -> None:
    mia = rivera.student("Mia")
    body = span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00", "Recital")
    response = rivera.by_date(mia.id, **body)
    assert response.status_code == 201, response.text
    made = AbsenceOut.model_validate(response.json())
    assert made.starts_at == datetime(2026, 3, 12, 16, 0, tzinfo=CHICAGO).astimezone(UTC)
    assert made.ends_at.astimezone(CHICAGO).hour == 19 and made.note == "Recital"
    assert made.makeup_token is not None
    assert made.makeup_token.location_name == "Northside"
    assert made.makeup_token.status is MakeupTokenStatus.AVAILABLE
    assert made.makeup_token.expires_on == TODAY + timedelta(days=90)
    assert made in rivera.absences(mia.id)
    (entry,) = audit_rows(db_url, "absence.add")
    assert entry.records == {
        "student": mia.id,
        "absence": made.id,
        "makeup_token": made.makeup_token.id,
    }


def test_an_absence_over_several_days_or_with_no_class_is_kept_without_a_token(
    rivera: Family,
) -> None:
    mia = rivera.student("Mia")
    tuesday = date(2026, 3, 10)
    response = rivera.by_date(mia.id, **span(tuesday, "08:00", tuesday, "10:30"))
    assert response.status_code == 201, response.text
    assert response.json()["makeup_token"] is None
    week = rivera.by_date(mia.id, **span(date(2026, 4, 6), "00:00", date(2026, 4, 12), "23:59"))
    assert week.status_code == 201, week.text
    assert week.json()["makeup_token"] is not None  # it covers her Thursday gymnastics


@pytest.mark.parametrize(
    "setting",
    [
        {"absence_token_notice_hours": "720"},
        {"absence_makeup_tokens": "off"},
        {"makeup_tokens": "off"},
    ],
)
def test_short_notice_or_tokens_off_earns_no_token(
    rivera: Family, db_url: str, setting: dict[str, str]
) -> None:
    set_settings(db_url, **setting)
    mia = rivera.student("Mia")
    response = rivera.by_date(mia.id, **span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00"))
    assert response.status_code == 201, response.text
    assert response.json()["makeup_token"] is None


def test_a_session_already_covered_by_a_token_earns_no_second_one(rivera: Family) -> None:
    mia = rivera.student("Mia")
    """Two absences that do not overlap each other but both cover the 17:00 session."""
    mia = rivera.student("Mia")
    first = rivera.by_date(mia.id, **span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "17:15"))
    again = rivera.by_date(mia.id, **span(NEXT_THURSDAY, "17:30", NEXT_THURSDAY, "19:00"))
    assert first.json()["makeup_token"] is not None
    assert again.status_code == 201 and again.json()["makeup_token"] is None


@pytest.mark.parametrize(
    "body",
    [
        span(NEXT_THURSDAY, "17:00", NEXT_THURSDAY, "18:00"),
        span(NEXT_THURSDAY, "17:45", date(2026, 3, 13), "09:00"),
        span(date(2026, 3, 11), "09:00", date(2026, 3, 20), "09:00"),
    ],
)
def test_an_absence_overlapping_one_already_given_is_409_and_changes_nothing(
    rivera: Family, db_url: str, body: dict[str, Any]
) -> None:
    mia = rivera.student("Mia")
    given = rivera.by_date(mia.id, **span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00"))
    assert given.status_code == 201, given.text
    before = stored(db_url)
    response = rivera.by_date(mia.id, **body)
    assert response.status_code == 409, response.text
    assert "overlaps an absence" in response.json()["error"]["message"]
    assert response.json()["current"]["id"] == given.json()["id"]
    gym = next(c for c in rivera.classes(mia.id) if c.class_name == "Gymnastics Beginner")
    by_session = rivera.by_enrollment(
        mia.id, enrollment_id=gym.enrollment_id, session_date=NEXT_THURSDAY.isoformat()
    )
    assert by_session.status_code == 409, by_session.text
    assert stored(db_url) == before


def test_a_date_in_year_1_is_422_east_of_utc(rivera: Family, db_url: str) -> None:
    """Dates are checked before they become instants: year 1 east of UTC would overflow."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        for business in db.scalars(select(tables.Business)):
            business.time_zone = "Asia/Tokyo"
    engine.dispose()
    mia = rivera.student("Mia")
    before = stored(db_url)
    year_one = date(1, 1, 1)
    for body, field in (
        (span(year_one, "00:00", NEXT_THURSDAY, "10:00"), "start_date"),
        (span(NEXT_THURSDAY, "10:00", year_one, "00:00"), "end_date"),
    ):
        response = rivera.by_date(mia.id, **body)
        assert response.status_code == 422, response.text
        assert field in response.json()["error"]["fields"]
    assert stored(db_url) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "15:00"), "end_time"),
        (span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "16:00"), "end_time"),
        (span(NEXT_THURSDAY, "16:00", date(2026, 3, 11), "18:00"), "end_date"),
        (span(date(2026, 2, 27), "10:00", NEXT_THURSDAY, "18:00"), "start_date"),
        (span(date(2026, 3, 8), "02:30", date(2026, 3, 8), "09:00"), "start_time"),
        (span(date(2030, 1, 1), "10:00", date(2030, 1, 1), "11:00"), "start_date"),
        (span(NEXT_THURSDAY, "10:00", date(9999, 12, 31), "23:59"), "end_date"),
        ({**span(NEXT_THURSDAY, "10:00", NEXT_THURSDAY, "11:00"), "note": "x" * 301}, "note"),
        (
            {**span(NEXT_THURSDAY, "10:00", NEXT_THURSDAY, "11:00"), "start_time": "25:00"},
            "start_time",
        ),
        (
            {**span(NEXT_THURSDAY, "10:00", NEXT_THURSDAY, "11:00"), "end_date": 20260312},
            "end_date",
        ),
    ],
)
def test_a_bad_span_is_422_naming_the_field_and_changes_nothing(
    rivera: Family, db_url: str, body: dict[str, Any], field: str
) -> None:
    mia = rivera.student("Mia")
    before = stored(db_url)
    response = rivera.by_date(mia.id, **body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert stored(db_url) == before


def test_an_absence_starting_earlier_today_is_in_the_past(rivera: Family, db_url: str) -> None:
    """Now is today at the real time of day: a minute after midnight has always passed."""
    mia = rivera.student("Mia")
    before = stored(db_url)
    local_today = datetime.now(UTC).replace(year=2026, month=3, day=2).astimezone(CHICAGO).date()
    response = rivera.by_date(mia.id, **span(local_today, "00:00", NEXT_THURSDAY, "10:00"))
    assert response.status_code == 422
    assert "start_time" in response.json()["error"]["fields"]
    assert stored(db_url) == before


# Creating by enrollment


def test_by_enrollment_covers_that_session_and_earns_a_token(rivera: Family, db_url: str) -> None:
    mia = rivera.student("Mia")
    gym = next(c for c in rivera.classes(mia.id) if c.class_name == "Gymnastics Beginner")
    session = next(s for s in gym.sessions if s.day == NEXT_THURSDAY)
    response = rivera.by_enrollment(
        mia.id, enrollment_id=gym.enrollment_id, session_date="2026-03-12", note="Dentist"
    )
    assert response.status_code == 201, response.text
    made = AbsenceOut.model_validate(response.json())
    assert (made.starts_at, made.ends_at) == (session.starts_at, session.ends_at)
    assert made.class_name == "Gymnastics Beginner" and made.enrollment_id == gym.enrollment_id
    assert made.makeup_token is not None and made.makeup_token.location_name == "Northside"
    (entry,) = audit_rows(db_url, "absence.add")
    assert entry.detail == {"by": "enrollment"}


def enrollment_of(rivera: Family, first_name: str, class_name: str, status: str) -> int:
    student = rivera.student(first_name)
    return next(
        e.id for e in student.enrollments if e.class_name == class_name and e.status.value == status
    )


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-03-11", "not a Thursday"),
        ("2026-02-26", "a session already held"),
        ("2027-03-11", "past the sessions scheduled"),
    ],
)
def test_a_date_that_is_not_an_upcoming_session_is_422(
    rivera: Family, db_url: str, day: str, why: str
) -> None:
    mia = rivera.student("Mia")
    gym = next(c for c in rivera.classes(mia.id) if c.class_name == "Gymnastics Beginner")
    before = stored(db_url)
    response = rivera.by_enrollment(mia.id, enrollment_id=gym.enrollment_id, session_date=day)
    assert response.status_code == 422, why
    assert "session_date" in response.json()["error"]["fields"]
    assert stored(db_url) == before


def test_a_cancelled_session_is_not_upcoming(rivera: Family, db_url: str) -> None:
    ava = rivera.student("Ava")
    (swim,) = rivera.classes(ava.id)
    before = stored(db_url)
    response = rivera.by_enrollment(
        ava.id, enrollment_id=swim.enrollment_id, session_date="2026-03-23"
    )
    assert response.status_code == 422
    assert stored(db_url) == before


def test_an_enrollment_not_current_regular_or_of_another_student_is_refused(
    rivera: Family, api: TestClient, db_url: str
) -> None:
    mia, ava = rivera.student("Mia"), rivera.student("Ava")
    waitlist = enrollment_of(rivera, "Ava", "Gymnastics Beginner", "current")
    past = enrollment_of(rivera, "Mia", "Swim Level 2", "past")
    leos = enrollment_of(rivera, "Leo", "Swim Level 2", "current")
    nguyen = Family(api, OTHER_FAMILY_EMAIL)
    theirs = next(e["id"] for s in nguyen.call("GET", "/students").json() for e in s["enrollments"])
    before = stored(db_url)
    for student, enrollment in ((ava, waitlist), (mia, past), (mia, leos), (mia, theirs)):
        response = rivera.by_enrollment(
            student.id, enrollment_id=enrollment, session_date="2026-03-12"
        )
        assert response.status_code == 422, response.text
        assert "enrollment_id" in response.json()["error"]["fields"]
    assert stored(db_url) == before


# Cancelling


def test_cancelling_withdraws_the_unused_token_and_is_audited(rivera: Family, db_url: str) -> None:
    mia = rivera.student("Mia")
    made = AbsenceOut.model_validate(
        rivera.by_date(mia.id, **span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00")).json()
    )
    assert made.makeup_token is not None
    response = rivera.call("DELETE", f"/absences/{made.id}", params={"version": made.version})
    assert response.status_code == 204, response.text
    assert made.id not in {a.id for a in rivera.absences(mia.id)}
    assert token_row(db_url, made.makeup_token.id) is None
    (entry,) = audit_rows(db_url, "absence.cancel")
    assert entry.records == {
        "student": mia.id,
        "absence": made.id,
        "makeup_token": made.makeup_token.id,
    }
    assert entry.detail == {"token": "withdrawn"}


@pytest.mark.parametrize("status", [MakeupTokenStatus.PENDING, MakeupTokenStatus.SPENT])
def test_cancelling_is_refused_once_the_token_is_used(
    rivera: Family, db_url: str, status: MakeupTokenStatus
) -> None:
    mia = rivera.student("Mia")
    made = AbsenceOut.model_validate(
        rivera.by_date(mia.id, **span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00")).json()
    )
    assert made.makeup_token is not None
    set_token_status(db_url, made.makeup_token.id, status)
    before = stored(db_url)
    response = rivera.call("DELETE", f"/absences/{made.id}", params={"version": made.version})
    assert response.status_code == 409
    assert "already used for a makeup" in response.json()["error"]["message"]
    assert response.json()["current"]["id"] == made.id
    assert stored(db_url) == before


def test_a_stale_version_is_409_with_the_current_absence(rivera: Family, db_url: str) -> None:
    (trip,) = rivera.absences(rivera.student("Mia").id)
    before = stored(db_url)
    response = rivera.call("DELETE", f"/absences/{trip.id}", params={"version": trip.version + 1})
    assert response.status_code == 409
    assert AbsenceOut.model_validate(response.json()["current"]) == trip
    assert stored(db_url) == before


def test_an_absence_under_way_cannot_be_cancelled(rivera: Family, db_url: str) -> None:
    mia = rivera.student("Mia")
    engine = make_engine(db_url)
    now = datetime.now(UTC).replace(year=2026, month=3, day=2)
    with make_sessionmaker(engine)() as db, db.begin():
        row = tables.FutureAbsence(
            student_id=mia.id,
            starts_at=now - timedelta(hours=30),
            ends_at=now + timedelta(days=3),
            note="Flu",
            created_at=now - timedelta(days=2),
        )
        db.add(row)
        db.flush()
        absence_id = row.id
    engine.dispose()
    under_way = next(a for a in rivera.absences(mia.id) if a.id == absence_id)
    before = stored(db_url)
    response = rivera.call("DELETE", f"/absences/{absence_id}", params={"version": 1})
    assert response.status_code == 409
    assert "already begun" in response.json()["error"]["message"]
    assert under_way.note == "Flu"
    assert stored(db_url) == before


# The setting and other families


def test_the_setting_off_is_403_on_every_operation(rivera: Family, db_url: str) -> None:
    mia = rivera.student("Mia")
    (trip,) = rivera.absences(mia.id)
    set_settings(db_url, future_absences="off")
    assert rivera.call("GET", "").json()["capabilities"]["future_absences"] is False
    before = stored(db_url)
    calls = [
        ("GET", f"/students/{mia.id}/absences", None, None),
        ("GET", f"/students/{mia.id}/absences/sessions", None, None),
        (
            "POST",
            f"/students/{mia.id}/absences",
            span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00"),
            None,
        ),
        (
            "POST",
            f"/students/{mia.id}/absences/by-enrollment",
            {"enrollment_id": 1, "session_date": "2026-03-12"},
            None,
        ),
        ("DELETE", f"/absences/{trip.id}", None, {"version": trip.version}),
    ]
    for method, path, body, params in calls:
        response = rivera.call(method, path, json=body, params=params)
        assert response.status_code == 403, (method, path, response.text)
    assert stored(db_url) == before


def test_another_familys_student_or_absence_is_404(
    rivera: Family, api: TestClient, db_url: str
) -> None:
    mia = rivera.student("Mia")
    (trip,) = rivera.absences(mia.id)
    nguyen = Family(api, OTHER_FAMILY_EMAIL)
    before = stored(db_url)
    body = span(NEXT_THURSDAY, "16:00", NEXT_THURSDAY, "19:00")
    assert nguyen.call("GET", f"/students/{mia.id}/absences").status_code == 404
    assert nguyen.call("GET", f"/students/{mia.id}/absences/sessions").status_code == 404
    assert nguyen.call("POST", f"/students/{mia.id}/absences", json=body).status_code == 404
    response = nguyen.call("DELETE", f"/absences/{trip.id}", params={"version": trip.version})
    assert response.status_code == 404
    assert stored(db_url) == before
