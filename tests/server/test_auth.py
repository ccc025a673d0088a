"""Sign-in, tokens and sign-out."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.security import hash_password
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from tests.server.conftest import login


def test_login_returns_a_token_and_the_user(api: TestClient) -> None:
    response = api.post("/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) >= 40
    assert body["user"]["email"] == DEMO_EMAIL
    assert body["user"]["family_id"] is not None


def test_email_is_case_insensitive(api: TestClient) -> None:
    login(api, DEMO_EMAIL.upper())


@pytest.mark.parametrize(
    ("email", "password"),
    [(DEMO_EMAIL, "wrong-password"), ("nobody@example.com", DEMO_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_get_one_answer_that_never_echoes(
    api: TestClient, email: str, password: str
) -> None:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Email or password is incorrect."
    assert password not in response.text
    assert email not in response.text


def test_unknown_email_costs_about_as_much_as_a_wrong_password(
    api: TestClient, db_url: str
) -> None:
    """Against a real (not demo-cheap) hash, both failures spend one full argon2 check."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        db.add(
            tables.User(
                email="real.user@example.com",
                password_hash=hash_password("a real password"),
                display_name="Real User",
            )
        )
        db.commit()
    engine.dispose()

    def cost(email: str) -> float:
        start = time.perf_counter()
        response = api.post("/api/v1/auth/login", json={"email": email, "password": "x" * 12})
        assert response.status_code == 401
        return time.perf_counter() - start

    wrong = min(cost("real.user@example.com") for _ in range(3))
    unknown = min(cost("nobody@example.com") for _ in range(3))
    assert 0.5 < unknown / wrong < 2.0


def test_validation_errors_name_fields_but_not_values(api: TestClient) -> None:
    secret = "hunter2-secret"
    response = api.post("/api/v1/auth/login", json={"email": "", "password": secret})
    assert response.status_code == 422
    body = response.json()
    assert "email" in body["error"]["fields"]
    assert secret not in response.text


PUBLIC = {
    ("GET", "/api/v1/meta"),
    ("POST", "/api/v1/auth/login"),
    # with a code from an email instead of a session
    ("POST", "/api/v1/auth/invitation/accept"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/complete"),
}


def test_every_other_endpoint_needs_a_session(api: TestClient) -> None:
    """Missing or bad token: 401 (never 422), on every route the OpenAPI lists."""
    paths = api.get("/openapi.json").json()["paths"]
    routes = [
        (m.upper(), p) for p, ops in paths.items() for m in ops if (m.upper(), p) not in PUBLIC
    ]
    assert len(routes) >= 8
    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = api.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["www-authenticate"] == "Bearer"


def test_invalid_token_is_401(api: TestClient) -> None:
    response = api.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_expired_token_is_401_session_expired(
    api: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = login(api)
    monkeypatch.setenv("PORTAL_TODAY", "2026-03-05")
    response = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_sign_out_revokes_the_session(api: TestClient) -> None:
    headers = {"Authorization": f"Bearer {login(api)}"}
    assert api.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_only_a_hash_of_the_token_is_stored(api: TestClient, db_url: str) -> None:
    token = login(api)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        stored = db.scalars(select(tables.Session.token_hash)).all()
    engine.dispose()
    assert token not in stored
    assert all(len(h) == 64 for h in stored)


def test_passwords_are_argon2_hashes(db_url: str) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        hashes = db.scalars(select(tables.User.password_hash)).all()
    engine.dispose()
    assert hashes and all(h.startswith("$argon2") for h in hashes)


def test_a_guardian_without_login_access_cannot_sign_in(api: TestClient, db_url: str) -> None:
    token = login(api, DEMO_SECONDARY_EMAIL)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        user = db.scalars(
            select(tables.User).where(tables.User.email == DEMO_SECONDARY_EMAIL)
        ).one()
        guardian = db.get_one(tables.Guardian, user.guardian_id)
        guardian.login_access = "invite_revoked"
        db.commit()
    engine.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 401
    response = api.post(
        "/api/v1/auth/login", json={"email": DEMO_SECONDARY_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 401


def test_a_password_that_is_not_text_is_422_not_500(api: TestClient) -> None:
    """A lone surrogate cannot be hashed: refused as invalid, never echoed."""
    body = b'{"email": "jordan.rivera@example.com", "password": "\\ud800"}'
    response = api.post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]
    assert "ud800" not in response.text


def test_every_signed_in_operation_documents_its_401(api: TestClient) -> None:
    """A generated client learns from the OpenAPI description what an ended session looks like."""
    paths = api.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if (method.upper(), path) in PUBLIC - {("POST", "/api/v1/auth/login")}:
                continue
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            assert responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith(
                "/ErrorBody"
            )
