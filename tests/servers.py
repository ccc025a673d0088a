"""Test databases (SQLite copies of one seeded template, PostgreSQL per run) and live servers."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from portal_tui.server import clock
from portal_tui.server.app import create_app
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.migrate import create_at_head
from portal_tui.server.seed import seed_demo
from portal_tui.server.serving import uvicorn_config

PG_ADMIN_URL = os.environ.get("PORTAL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def database(url: str) -> Iterator[Session]:
    """A session on the test database at `url`, outside the app, committed at the end."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db, db.begin():
        yield db
    engine.dispose()


def seed(url: str) -> None:
    """Create the schema at head and the demo data in the empty database at `url`."""
    engine = make_engine(url)
    create_at_head(engine)
    with make_sessionmaker(engine)() as db:
        seed_demo(db, today=clock.today())
    engine.dispose()


def sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    seed(f"sqlite:///{path}")
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / f"portal-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure means "not here"
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {type(exc).__name__}"
    return None


class PostgresDatabases:
    """Uniquely named databases for one test run: a seeded template and copies of it."""

    def __init__(self) -> None:
        self.prefix = f"portal_test_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []
        self.template = self._create(f"{self.prefix}_template")
        seed(self.url(self.template))

    def url(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> str:
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return name

    def copy(self) -> str:
        return self.url(self._create(f"{self.prefix}_{len(self.created)}", self.template))

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@contextmanager
def live_server(db_url: str, port: int = 0) -> Iterator[str]:
    """The real server on loopback, in a thread; yields its base URL. On a free port, or on
    `port` again (a server that went away comes back where the app expects it)."""
    app = create_app(db_url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        app.state.engine.dispose()


def set_settings(db_url: str, **settings: str) -> None:
    """Change business settings the way an operator does (`portal-server settings set`)."""
    from portal_tui.server.services.business import set_setting

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        for name, value in settings.items():
            set_setting(db=db, name=name, value=value)
    engine.dispose()
