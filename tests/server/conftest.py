"""Server tests talk to the app in process, over each database backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from portal_tui.server import clock, tables
from portal_tui.server.app import create_app
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests import servers


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    app = create_app(db_url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


def login(api: TestClient, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> str:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def family_path(api: TestClient, auth: dict[str, str]) -> str:
    """`/families/{id}` of the signed-in guardian's own family."""
    me = api.get("/api/v1/auth/me", headers=auth)
    assert me.status_code == 200, me.text
    return f"/families/{me.json()['family_id']}"


@pytest.fixture
def auth(api: TestClient) -> dict[str, str]:
    """Headers signed in as the demo family's primary guardian."""
    return {"Authorization": f"Bearer {login(api)}"}


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def user_row(db_url: str, email: str) -> tables.User:
    """The user `email` as the database holds it now."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)(expire_on_commit=False) as db:
        user = db.scalars(select(tables.User).where(tables.User.email == email)).one()
    engine.dispose()
    return user


class Clock:
    """The server's clock, stopped and moved by the test; it starts on the first second of a
    minute (and of a 30-second two-step code's step)."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The server's clock, stopped at 2026-03-02 15:00 UTC until the test moves it."""
    pinned = Clock()
    monkeypatch.setattr(clock, "now", lambda: pinned.at)
    return pinned


@contextmanager
def empty_database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new empty database: an SQLite file, or a uniquely named PostgreSQL
    database (dropped afterwards). Skips when PostgreSQL is away (fails under CI=true)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'empty-{uuid.uuid4().hex[:8]}.db'}"
        return
    postgres: servers.PostgresDatabases | None = request.getfixturevalue("postgres")
    if postgres is None:
        pytest.skip(servers.postgres_reachable() or "PostgreSQL is not reachable")
    name = f"{postgres.prefix}_empty_{uuid.uuid4().hex[:8]}"
    with postgres.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres.url(name)
    finally:
        with postgres.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with empty_database(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()
