"""A student's evaluated skills and attendance: shapes, order, counts, the setting, and access."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from portal_tui.wire.progress import SkillStatus, StudentAttendance, StudentEvaluations
from portal_tui.wire.students import (
    AttendanceStatus,
    EnrollmentKind,
    EnrollmentStatus,
    EvaluationStatus,
    StudentOut,
)
from tests.server.conftest import family_path, login
from tests.servers import database, set_settings


def students(api: TestClient, auth: dict[str, str]) -> dict[str, StudentOut]:
    response = api.get(f"/api/v1{family_path(api, auth)}/students", headers=auth)
    assert response.status_code == 200, response.text
    return {s["first_name"]: StudentOut.model_validate(s) for s in response.json()}


def get(api: TestClient, auth: dict[str, str], student_id: int, view: str) -> dict[str, object]:
    path = f"/api/v1{family_path(api, auth)}/students/{student_id}/{view}"
    response = api.get(path, headers=auth)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def evaluations(api: TestClient, auth: dict[str, str], name: str) -> StudentEvaluations:
    student_id = students(api, auth)[name].id
    return StudentEvaluations.model_validate(get(api, auth, student_id, "evaluations"))


def attendance(api: TestClient, auth: dict[str, str], name: str) -> StudentAttendance:
    student_id = students(api, auth)[name].id
    return StudentAttendance.model_validate(get(api, auth, student_id, "attendance"))


def class_id(db: Session, name: str, location: str) -> int:
    found = db.scalar(
        select(tables.SchoolClass.id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(tables.SchoolClass.name == name, tables.Location.name == location)
    )
    assert found is not None
    return found


# Evaluations


def test_levels_come_in_their_order_with_each_skill_and_a_summary(
    api: TestClient, auth: dict[str, str]
) -> None:
    mia = evaluations(api, auth, "Mia")
    assert [level.level_name for level in mia.levels] == [
        "Swim Level 2",
        "Swim Level 3",
        "Gymnastics Beginner",
    ]
    swim3 = mia.levels[1]
    assert [s.name for s in swim3.skills] == [
        "Front crawl 10 m",
        "Back crawl 10 m",
        "Treads water 30 s",
        "Side breathing",
    ]
    assert [s.status for s in swim3.skills] == [
        SkillStatus.PASSED,
        SkillStatus.IN_PROGRESS,
        SkillStatus.IN_PROGRESS,
        SkillStatus.NOT_STARTED,  # stored as "not yet"
    ]
    assert {s.evaluated_on for s in swim3.skills} == {date(2026, 2, 24)}
    for level in mia.levels:
        counted = Counter(s.status for s in level.skills)
        assert (level.passed, level.in_progress, level.not_started) == (
            counted[SkillStatus.PASSED],
            counted[SkillStatus.IN_PROGRESS],
            counted[SkillStatus.NOT_STARTED],
        )
    assert (mia.levels[0].passed, mia.levels[0].in_progress) == (4, 0)


def test_a_current_class_adds_its_level_with_every_skill_not_started(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ava = students(api, auth)["Ava"]
    before = evaluations(api, auth, "Ava")
    # Ava's waitlist place in Gymnastics Beginner is no class of hers yet.
    assert [level.level_name for level in before.levels] == ["Swim Level 1"]
    with database(db_url) as db:
        db.add(
            tables.Enrollment(
                student_id=ava.id,
                class_id=class_id(db, "Gymnastics Beginner", "Northside"),
                start_date=date(2026, 3, 1),
            )
        )
    after = evaluations(api, auth, "Ava")
    assert [level.level_name for level in after.levels] == ["Swim Level 1", "Gymnastics Beginner"]
    gym = after.levels[1]
    assert [(s.status, s.evaluated_on, s.comment) for s in gym.skills] == [
        (SkillStatus.NOT_STARTED, None, "")
    ] * 4
    assert (gym.passed, gym.in_progress, gym.not_started) == (0, 0, 4)


def test_the_latest_evaluation_of_a_skill_counts(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    mia = evaluations(api, auth, "Mia")
    skill = mia.levels[1].skills[3]
    with database(db_url) as db:
        student = db.get(tables.Student, mia.student_id)
        assert student is not None
        for day, status, comment in [
            (date(2026, 2, 26), EvaluationStatus.PASSED, "Breathes to both sides."),
            (date(2026, 2, 25), EvaluationStatus.IN_PROGRESS, "Older, entered later."),
        ]:
            db.add(
                tables.Evaluation(
                    student_id=student.id,
                    skill_id=skill.skill_id,
                    status=status,
                    evaluated_on=day,
                    comment=comment,
                )
            )
    swim3 = evaluations(api, auth, "Mia").levels[1]
    latest = swim3.skills[3]
    assert (latest.status, latest.evaluated_on, latest.comment) == (
        SkillStatus.PASSED,
        date(2026, 2, 26),
        "Breathes to both sides.",
    )
    assert (swim3.passed, swim3.in_progress, swim3.not_started) == (2, 2, 0)


def test_a_new_student_has_no_levels_and_no_attendance(
    api: TestClient, auth: dict[str, str]
) -> None:
    added = api.post(
        f"/api/v1{family_path(api, auth)}/students",
        headers=auth,
        json={"first_name": "Noa", "last_name": "Rivera"},
    )
    assert added.status_code == 201, added.text
    assert get(api, auth, added.json()["id"], "evaluations")["levels"] == []
    assert get(api, auth, added.json()["id"], "attendance")["enrollments"] == []


# Attendance


def test_current_enrollments_first_then_past_ones_flagged(
    api: TestClient, auth: dict[str, str]
) -> None:
    mia = attendance(api, auth, "Mia")
    flags = [item.past for item in mia.enrollments]
    assert flags == sorted(flags), "current enrollments come before past ones"
    assert all(
        item.past == (item.enrollment.status is not EnrollmentStatus.CURRENT)
        for item in mia.enrollments
    )
    past = [(i.enrollment.class_name, i.enrollment.kind) for i in mia.enrollments if i.past]
    # most recently ended first: the held makeup (February), then Swim Level 2 (January)
    assert past == [
        ("Swim Level 3", EnrollmentKind.MAKEUP),
        ("Swim Level 2", EnrollmentKind.REGULAR),
    ]
    current = [i.enrollment.class_name for i in mia.enrollments if not i.past]
    assert "Gymnastics Beginner" in current and "Swim Level 3" in current


def test_sessions_newest_first_in_utc_with_counts_that_add_up(
    api: TestClient, auth: dict[str, str]
) -> None:
    mia = attendance(api, auth, "Mia")
    seen: set[AttendanceStatus] = set()
    for item in mia.enrollments:
        starts = [s.starts_at for s in item.sessions]
        assert starts == sorted(starts, reverse=True)
        assert all(s.utcoffset() == UTC.utcoffset(None) for s in starts)
        counted = Counter(s.status for s in item.sessions)
        assert item.counts.model_dump() == {s.value: counted[s] for s in AttendanceStatus}
        seen.update(counted)
    assert seen == set(AttendanceStatus), "the demo shows every attendance status"


def test_waitlist_places_have_no_attendance(api: TestClient, auth: dict[str, str]) -> None:
    ava = attendance(api, auth, "Ava")
    assert ava.enrollments
    assert all(i.enrollment.kind is not EnrollmentKind.WAITLIST for i in ava.enrollments)


def test_a_makeup_enrollments_attendance_reads_makeup(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    mia = attendance(api, auth, "Mia")
    makeup = next(
        i for i in mia.enrollments if i.enrollment.kind is EnrollmentKind.MAKEUP and i.past
    )
    assert [s.status for s in makeup.sessions] == [AttendanceStatus.MAKEUP]
    assert makeup.counts.makeup == 1
    # A student who came to a makeup (checked in as present) still reads "makeup".
    with database(db_url) as db:
        row = db.scalars(
            select(tables.Attendance).where(tables.Attendance.enrollment_id == makeup.enrollment.id)
        ).one()
        row.status = AttendanceStatus.PRESENT
    again = next(
        i
        for i in attendance(api, auth, "Mia").enrollments
        if i.enrollment.id == makeup.enrollment.id
    )
    assert [s.status for s in again.sessions] == [AttendanceStatus.MAKEUP]


def test_attendance_off_is_403_and_evaluations_stay(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    mia = students(api, auth)["Mia"]
    set_settings(db_url, attendance="false")
    path = f"/api/v1{family_path(api, auth)}/students/{mia.id}"
    refused = api.get(f"{path}/attendance", headers=auth)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["message"]
    assert api.get(f"{path}/evaluations", headers=auth).status_code == 200


@pytest.mark.parametrize("view", ["evaluations", "attendance"])
def test_another_familys_student_is_404(api: TestClient, auth: dict[str, str], view: str) -> None:
    other = {"Authorization": f"Bearer {login(api, OTHER_FAMILY_EMAIL)}"}
    their_student = next(iter(students(api, other).values()))
    own = api.get(
        f"/api/v1{family_path(api, auth)}/students/{their_student.id}/{view}", headers=auth
    )
    assert own.status_code == 404, own.text
    mia = students(api, auth)["Mia"]
    theirs = api.get(f"/api/v1{family_path(api, auth)}/students/{mia.id}/{view}", headers=other)
    assert theirs.status_code == 404, theirs.text
