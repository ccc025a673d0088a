"""Shared fixtures: a fixed clock, a private home, seeded databases and live servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

os.environ["PORTAL_TODAY"] = "2026-03-02"

from tests import servers


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and state go to a temp dir; no real keyring or config file is touched."""
    home = tmp_path / "home"
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in [v for v in os.environ if v.startswith("PORTAL_") and v != "PORTAL_TODAY"]:
        monkeypatch.delenv(var)
    return home


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in: the real one is outside the project."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty keyring of its own."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return servers.sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[servers.PostgresDatabases | None]:
    """This run's PostgreSQL databases, or None when PostgreSQL is not here (never in CI)."""
    reason = servers.postgres_reachable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        yield None
        return
    databases = servers.PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh seeded SQLite database for one test."""
    return servers.sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, sqlite_url: str, postgres: servers.PostgresDatabases | None
) -> str:
    """A fresh seeded database for one test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url
    if postgres is None:
        pytest.skip(servers.postgres_reachable() or "PostgreSQL is not reachable")
    return postgres.copy()


@pytest.fixture
def server_url(sqlite_url: str) -> Iterator[str]:
    """The real server on loopback over a fresh seeded SQLite database."""
    with servers.live_server(sqlite_url) as url:
        yield url
