"""Check-in codes: opaque per student, replaced by regenerating, behind the QR codes setting."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.seed import seed_bulk
from portal_tui.wire.checkin import CHECKIN_CODE_PATTERN
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from tests.server.conftest import family_path
from tests.server.test_contacts import audit_rows, bearer
from tests.servers import set_settings


def students(db_url: str) -> list[tables.Student]:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = list(db.scalars(select(tables.Student).order_by(tables.Student.id)))
    engine.dispose()
    return rows


def mia(api: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    listed = api.get(f"/api/v1{family_path(api, auth)}/students", headers=auth).json()
    return next(s for s in listed if s["first_name"] == "Mia")


def code_path(api: TestClient, auth: dict[str, str], student_id: int) -> str:
    return f"/api/v1{family_path(api, auth)}/students/{student_id}/checkin-code"


def test_each_student_has_an_opaque_code_that_names_no_id(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=3, ledger_rows=10)
    engine.dispose()
    rows = students(db_url)
    codes = [s.checkin_code for s in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(CHECKIN_CODE_PATTERN, c) for c in codes), codes[:3]
    student = mia(api, auth)
    response = api.get(code_path(api, auth, student["id"]), headers=auth)
    assert response.status_code == 200, response.text
    code = response.json()["code"]
    assert code == next(s.checkin_code for s in rows if s.id == student["id"])
    assert str(student["id"]) not in code.removeprefix("PT1-")


def test_regenerating_replaces_the_code_with_an_audit_row(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    student = mia(api, auth)
    path = code_path(api, auth, student["id"])
    old = api.get(path, headers=auth).json()["code"]
    response = api.post(path, headers=auth)
    assert response.status_code == 200, response.text
    new = response.json()["code"]
    assert new != old and re.fullmatch(CHECKIN_CODE_PATTERN, new)
    assert api.get(path, headers=auth).json()["code"] == new
    codes = [s.checkin_code for s in students(db_url)]
    assert new in codes and old not in codes
    row = audit_rows(db_url)[-1]
    assert row.action == "student.checkin_code_regenerate"
    assert row.records == {"student": student["id"]}
    assert old not in str(row.detail) and new not in str(row.detail)
    # The code is not a detail the family edits: an open Edit Student stays good.
    assert mia(api, auth)["version"] == student["version"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_qr_codes_setting_off_is_403(
    api: TestClient, auth: dict[str, str], db_url: str, method: str
) -> None:
    student = mia(api, auth)
    before = students(db_url)
    set_settings(db_url, qr_codes="off")
    response = api.request(method, code_path(api, auth, student["id"]), headers=auth)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "QR codes are not offered in the portal."
    assert [s.checkin_code for s in students(db_url)] == [s.checkin_code for s in before]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_familys_student_is_404_and_unchanged(
    api: TestClient, auth: dict[str, str], db_url: str, method: str
) -> None:
    student = mia(api, auth)
    before = [s.checkin_code for s in students(db_url)]
    other = bearer(api, OTHER_FAMILY_EMAIL)
    own_path = code_path(api, other, student["id"])
    assert api.request(method, own_path, headers=other).status_code == 404
    assert [s.checkin_code for s in students(db_url)] == before
