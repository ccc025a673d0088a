"""Adding and changing students: checked fields, versions, audit, and another family's 404."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from portal_tui.wire.students import StudentOut
from tests.server.conftest import family_path, login
from tests.server.test_contacts import audit_rows, send

NEW = {
    "first_name": "Noa",
    "last_name": "Rivera",
    "birth_date": "2021-05-04",
    "gender": "female",
    "medical_notes": "Peanut allergy.\nEpiPen in her bag.",
}


def students(api: TestClient, auth: dict[str, str]) -> list[StudentOut]:
    response = send(api, auth, "GET", "/students")
    assert response.status_code == 200, response.text
    return [StudentOut.model_validate(s) for s in response.json()]


def student_count(db_url: str) -> int:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        count = db.scalar(select(func.count()).select_from(tables.Student))
    engine.dispose()
    return int(count or 0)


def test_add_then_edit_a_student_with_audit_rows(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = len(audit_rows(db_url))
    added = send(api, auth, "POST", "/students", json=NEW)
    assert added.status_code == 201, added.text
    student = StudentOut.model_validate(added.json())
    assert student.medical_notes == "Peanut allergy.\nEpiPen in her bag."
    assert student.gender == "female" and student.enrollments == []
    assert any(s.id == student.id for s in students(api, auth))
    changed = send(
        api,
        auth,
        "PUT",
        f"/students/{student.id}",
        json={**NEW, "first_name": "Noah", "gender": None, "version": student.version},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["first_name"] == "Noah" and changed.json()["gender"] is None
    actions = [row.action for row in audit_rows(db_url)[before:]]
    assert actions == ["student.add", "student.update"]


def test_a_new_student_gets_an_opaque_check_in_code(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    added = send(api, auth, "POST", "/students", json=NEW)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        code = db.get(tables.Student, added.json()["id"]).checkin_code  # type: ignore[union-attr]
    engine.dispose()
    assert code.startswith("PT1-") and len(code) == 24
    assert str(added.json()["id"]) not in code.removeprefix("PT1-")


BAD: list[tuple[dict[str, Any], str]] = [
    ({"first_name": ""}, "first_name"),
    ({"last_name": "   "}, "last_name"),
    ({"first_name": "Mia\x1b]2;owned\x07"}, "first_name"),
    ({"medical_notes": "fine\x1b[2J"}, "medical_notes"),
    ({"medical_notes": "x" * 1001}, "medical_notes"),
    ({"gender": "robot"}, "gender"),
    ({"birth_date": "2031-01-01"}, "birth_date"),
    ({"birth_date": "04/05/2021"}, "birth_date"),
    ({"birth_date": 0}, "birth_date"),
    ({"birth_date": "1899-12-31"}, "birth_date"),
    ({"nickname": "Mimi"}, "request"),
]


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = student_count(db_url)
    for change, field in BAD:
        response = send(api, auth, "POST", "/students", json={**NEW, **change})
        assert response.status_code == 422, (change, response.text)
        assert field in response.json()["error"]["fields"], (change, response.text)
        assert "owned" not in response.text
    assert student_count(db_url) == before


def test_a_stale_version_gets_409_with_the_student_as_it_is(
    api: TestClient, auth: dict[str, str]
) -> None:
    mia = next(s for s in students(api, auth) if s.first_name == "Mia")
    body = {**NEW, "first_name": "Mia", "version": mia.version}
    assert send(api, auth, "PUT", f"/students/{mia.id}", json=body).status_code == 200
    stale = send(api, auth, "PUT", f"/students/{mia.id}", json={**body, "last_name": "Old"})
    assert stale.status_code == 409, stale.text
    assert stale.json()["current"]["last_name"] == "Rivera"
    assert stale.json()["current"]["version"] == mia.version + 1


def test_another_familys_student_is_404(api: TestClient, auth: dict[str, str]) -> None:
    mia = next(s for s in students(api, auth) if s.first_name == "Mia")
    other = {"Authorization": f"Bearer {login(api, OTHER_FAMILY_EMAIL)}"}
    path = f"/api/v1{family_path(api, other)}/students/{mia.id}"
    response = api.put(path, headers=other, json={**NEW, "version": mia.version})
    assert response.status_code == 404, response.text
    assert next(s for s in students(api, auth) if s.id == mia.id).first_name == "Mia"
