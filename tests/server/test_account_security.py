"""Change Password and the session list: the current password proves who it is, the new one
is strong enough, every other session ends while the current one carries on; a user sees and
signs out only their own sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.services.sessions import LAST_USED_STEP
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from portal_tui.wire.security import password_problem, user_words
from tests import servers
from tests.server.conftest import login

NEW = "violet kettle drums sideways"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def change(api: TestClient, token: str, current: str, new: str) -> Any:
    body = {"current_password": current, "new_password": new}
    return api.post("/api/v1/auth/password", json=body, headers=bearer(token))


def me_status(api: TestClient, token: str) -> int:
    return api.get("/api/v1/auth/me", headers=bearer(token)).status_code


def password_hash(db_url: str, email: str) -> str:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        found = db.scalar(select(tables.User.password_hash).where(tables.User.email == email))
    engine.dispose()
    assert found is not None
    return found


def audit_count(db_url: str, action: str) -> int:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        count = db.scalar(
            select(func.count())
            .select_from(tables.AuditEntry)
            .where(tables.AuditEntry.action == action)
        )
    engine.dispose()
    return int(count or 0)


def test_a_changed_password_ends_every_other_session_and_keeps_this_one(
    api: TestClient, db_url: str
) -> None:
    here, elsewhere, other = login(api), login(api), login(api, DEMO_SECONDARY_EMAIL)
    response = change(api, here, DEMO_PASSWORD, NEW)
    assert response.status_code == 200, response.text
    assert response.json() == {"ended_sessions": 1}
    assert me_status(api, here) == 200
    assert me_status(api, elsewhere) == 401
    assert me_status(api, other) == 200  # another user's sessions are theirs
    bad = api.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert bad.status_code == 401
    login(api, DEMO_EMAIL, NEW)
    assert audit_count(db_url, "user.password_changed") == 1


@pytest.mark.parametrize(
    ("current", "new", "field", "says"),
    [
        ("not the password", NEW, "current_password", "not right"),
        (DEMO_PASSWORD, DEMO_PASSWORD, "new_password", "differ"),
        (DEMO_PASSWORD, "short", "new_password", "at least 10"),
        (DEMO_PASSWORD, "password123", "new_password", "Too easy to guess"),
        (DEMO_PASSWORD, "jordanrivera", "new_password", "Too easy to guess"),
        (DEMO_PASSWORD, "x" * 129, "new_password", "at most 128"),
    ],
    ids=["wrong-current", "same", "short", "common", "own-name", "long"],
)
def test_a_refused_change_says_why_under_its_field_and_changes_nothing(
    api: TestClient, db_url: str, current: str, new: str, field: str, says: str
) -> None:
    here, elsewhere = login(api), login(api)
    before = password_hash(db_url, DEMO_EMAIL)
    response = change(api, here, current, new)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert says in error["fields"][field]
    assert new not in response.text and current not in response.text
    assert password_hash(db_url, DEMO_EMAIL) == before
    assert me_status(api, elsewhere) == 200
    assert audit_count(db_url, "user.password_changed") == 0
    assert audit_count(db_url, "user.password_change_failed") == (field == "current_password")


def test_wrong_current_passwords_count_as_failed_sign_ins_and_lock_the_account(
    api: TestClient, db_url: str
) -> None:
    """A stolen session cannot guess the password without limit: each wrong current password
    counts towards the account's lock, which then refuses even the right one, here and at
    sign-in."""
    servers.set_settings(db_url, login_max_failures="3")
    here = login(api)
    for _ in range(3):
        assert change(api, here, "a wrong guess", NEW).status_code == 422
    locked = change(api, here, DEMO_PASSWORD, NEW)
    assert locked.status_code == 422
    assert "not right" in locked.json()["error"]["fields"]["current_password"]
    assert audit_count(db_url, "user.password_change_failed") == 4
    refused = api.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert refused.status_code == 401


def test_the_users_own_details_make_a_password_weak() -> None:
    own = "kwzorbflax2026"  # strong, unless it is the user's own name
    assert password_problem(own) is None
    assert password_problem(own, about_user=user_words("kwzorbflax@example.com", "")) is not None
    assert password_problem(NEW) is None


def test_the_session_list_is_the_callers_own_with_this_one_marked(api: TestClient) -> None:
    here, elsewhere = login(api), login(api)
    login(api, DEMO_SECONDARY_EMAIL)
    response = api.get("/api/v1/auth/sessions", headers=bearer(here))
    assert response.status_code == 200, response.text
    sessions = response.json()
    assert len(sessions) == 2
    assert [s["current"] for s in sessions].count(True) == 1
    assert all(s["address"] == "testclient" or s["address"] for s in sessions)
    assert all(s["client"] for s in sessions)
    ended = next(s for s in sessions if not s["current"])
    gone = api.delete(f"/api/v1/auth/sessions/{ended['id']}", headers=bearer(here))
    assert gone.status_code == 204
    assert me_status(api, elsewhere) == 401
    again = api.delete(f"/api/v1/auth/sessions/{ended['id']}", headers=bearer(here))
    assert again.status_code == 404


def test_another_users_session_cannot_be_ended(api: TestClient) -> None:
    mine, theirs = login(api), login(api, DEMO_SECONDARY_EMAIL)
    their_id = api.get("/api/v1/auth/sessions", headers=bearer(theirs)).json()[0]["id"]
    response = api.delete(f"/api/v1/auth/sessions/{their_id}", headers=bearer(mine))
    assert response.status_code == 404
    assert me_status(api, theirs) == 200


def test_sign_out_every_other_session(api: TestClient, db_url: str) -> None:
    here, *others = login(api), login(api), login(api)
    response = api.post("/api/v1/auth/sessions/end-others", headers=bearer(here))
    assert response.status_code == 200, response.text
    assert response.json() == {"ended": 2}
    assert me_status(api, here) == 200
    assert all(me_status(api, token) == 401 for token in others)
    listed = api.get("/api/v1/auth/sessions", headers=bearer(here)).json()
    assert [s["current"] for s in listed] == [True]
    assert audit_count(db_url, "session.ended_others") == 1


def test_last_used_moves_at_most_once_per_step(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = login(api)
    first = api.get("/api/v1/auth/sessions", headers=bearer(token)).json()[0]["last_used_at"]
    assert (
        api.get("/api/v1/auth/sessions", headers=bearer(token)).json()[0]["last_used_at"] == first
    )
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + LAST_USED_STEP + timedelta(seconds=1))
    api.get("/api/v1/auth/me", headers=bearer(token))
    later = api.get("/api/v1/auth/sessions", headers=bearer(token)).json()[0]["last_used_at"]
    assert later > first
