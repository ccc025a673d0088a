"""Punch passes: punches used and remaining, status, and redeeming a punch by the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.demo import OTHER_FAMILY_EMAIL
from portal_tui.wire.passes import PassOut, PassStatus
from tests.server.conftest import family_path
from tests.server.test_contacts import audit_rows, bearer
from tests.servers import set_settings


def change(db_url: str, edit: Callable[[Session], Any]) -> Any:
    """Run `edit` on the database directly (what staff or time did meanwhile)."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        result = edit(db)
    engine.dispose()
    return result


def punch_count(db_url: str) -> int:
    return int(change(db_url, lambda db: db.scalar(select(func.count(tables.Punch.id)))))


def student_id(api: TestClient, auth: dict[str, str], first_name: str) -> int:
    listed = api.get(f"/api/v1{family_path(api, auth)}/students", headers=auth).json()
    return int(next(s["id"] for s in listed if s["first_name"] == first_name))


def passes(api: TestClient, auth: dict[str, str], first_name: str) -> list[PassOut]:
    sid = student_id(api, auth, first_name)
    response = api.get(f"/api/v1{family_path(api, auth)}/students/{sid}/passes", headers=auth)
    assert response.status_code == 200, response.text
    return [PassOut.model_validate(p) for p in response.json()]


def redeem(api: TestClient, auth: dict[str, str], punch_pass: PassOut, **body: Any) -> Any:
    path = f"/api/v1{family_path(api, auth)}/passes/{punch_pass.id}/redeem"
    return api.post(path, headers=auth, json={"version": punch_pass.version, **body})


def test_each_pass_shows_its_punches_dates_amount_and_status(
    api: TestClient, auth: dict[str, str]
) -> None:
    (ava,) = passes(api, auth, "Ava")
    assert ava.name == "Open Swim 10-Class Pass"
    assert (ava.punches_total, ava.punches_used, ava.punches_remaining) == (10, 4, 6)
    assert ava.amount_paid_cents == 15000 and ava.status is PassStatus.ACTIVE
    assert ava.purchased_on < clock.today() < (ava.expires_on or date.max)
    (mia,) = passes(api, auth, "Mia")
    assert (mia.punches_used, mia.punches_remaining, mia.status) == (5, 0, PassStatus.USED_UP)
    assert passes(api, auth, "Leo") == []


def test_redeem_adds_a_punch_raises_the_version_and_is_audited(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, punch_pass_redeem="on")
    (before,) = passes(api, auth, "Ava")
    response = redeem(api, auth, before)
    assert response.status_code == 200, response.text
    after = PassOut.model_validate(response.json())
    assert (after.punches_used, after.punches_remaining) == (5, 5)
    assert after.version > before.version
    assert passes(api, auth, "Ava") == [after]
    used_at = change(
        db_url,
        lambda db: db.scalar(
            select(func.max(tables.Punch.used_at)).where(tables.Punch.punch_pass_id == after.id)
        ),
    )
    assert used_at.date() == clock.today()
    row = audit_rows(db_url)[-1]
    assert row.action == "punch_pass.redeem"
    assert row.records == {"punch_pass": after.id, "student": after.student_id}
    assert row.detail == {"punches_remaining": 5}


def _expire(db: Session, pass_id: int) -> None:
    row = db.get(tables.PunchPass, pass_id)
    assert row is not None
    row.expires_on = clock.today() - timedelta(days=1)


def _deactivate(db: Session, pass_id: int) -> None:
    row = db.get(tables.PunchPass, pass_id)
    assert row is not None
    row.active = False


def _use_up(db: Session, pass_id: int) -> None:
    row = db.get(tables.PunchPass, pass_id)
    assert row is not None
    used = db.scalar(select(func.count()).where(tables.Punch.punch_pass_id == pass_id)) or 0
    db.add_all(
        tables.Punch(punch_pass_id=pass_id, used_at=clock.now())
        for _ in range(row.punches_total - used)
    )


@pytest.mark.parametrize(
    ("make", "status", "message"),
    [
        (_expire, PassStatus.EXPIRED, "This pass has expired."),
        (_deactivate, PassStatus.INACTIVE, "This pass is no longer active."),
        (_use_up, PassStatus.USED_UP, "Every punch of this pass has been used."),
    ],
)
def test_a_pass_that_is_not_active_is_refused_409_and_nothing_changes(
    api: TestClient,
    auth: dict[str, str],
    db_url: str,
    make: Callable[[Session, int], None],
    status: PassStatus,
    message: str,
) -> None:
    set_settings(db_url, punch_pass_redeem="on")
    (ava,) = passes(api, auth, "Ava")
    change(db_url, lambda db: make(db, ava.id))
    (now,) = passes(api, auth, "Ava")
    assert now.status is status
    punches, audits = punch_count(db_url), len(audit_rows(db_url))
    response = redeem(api, auth, now)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["message"] == message
    assert PassOut.model_validate(response.json()["current"]) == now
    assert passes(api, auth, "Ava") == [now]
    assert (punch_count(db_url), len(audit_rows(db_url))) == (punches, audits)


def test_the_demo_pass_used_up_and_expired_says_used_up(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, punch_pass_redeem="on")
    (mia,) = passes(api, auth, "Mia")
    assert redeem(api, auth, mia).status_code == 409
    assert passes(api, auth, "Mia") == [mia]


def test_a_stale_version_is_409_with_the_current_pass(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, punch_pass_redeem="on")
    (opened,) = passes(api, auth, "Ava")
    assert redeem(api, auth, opened).status_code == 200
    (current,) = passes(api, auth, "Ava")
    punches = punch_count(db_url)
    response = redeem(api, auth, opened)
    assert response.status_code == 409
    assert PassOut.model_validate(response.json()["current"]) == current
    assert punch_count(db_url) == punches


@pytest.mark.parametrize(
    ("settings", "list_status", "redeem_status"),
    [
        ({"punch_passes": "on", "punch_pass_redeem": "off"}, 200, 403),
        ({"punch_passes": "off", "punch_pass_redeem": "on"}, 403, 403),
        ({"punch_passes": "on", "punch_pass_redeem": "on"}, 200, 200),
    ],
)
def test_the_settings_are_enforced_by_the_server(
    api: TestClient,
    auth: dict[str, str],
    db_url: str,
    settings: dict[str, str],
    list_status: int,
    redeem_status: int,
) -> None:
    (ava,) = passes(api, auth, "Ava")
    sid = student_id(api, auth, "Ava")
    set_settings(db_url, **settings)
    listed = api.get(f"/api/v1{family_path(api, auth)}/students/{sid}/passes", headers=auth)
    assert listed.status_code == list_status
    punches = punch_count(db_url)
    assert redeem(api, auth, ava).status_code == redeem_status
    assert punch_count(db_url) == punches + (redeem_status == 200)


def test_another_familys_pass_is_404_and_unchanged(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, punch_pass_redeem="on")
    (ava,) = passes(api, auth, "Ava")
    other = bearer(api, OTHER_FAMILY_EMAIL)
    punches = punch_count(db_url)
    assert redeem(api, other, ava).status_code == 404
    sid = student_id(api, auth, "Ava")
    listed = api.get(f"/api/v1{family_path(api, other)}/students/{sid}/passes", headers=other)
    assert listed.status_code == 404
    assert punch_count(db_url) == punches
