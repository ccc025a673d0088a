"""Engine and session factory, built on demand (never at import time)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

POOL_SIZE = 5
"""Connections an engine keeps open."""
MAX_OVERFLOW = 10
"""Connections opened past POOL_SIZE under load, closed again when returned."""
POOL_CONNECTIONS = POOL_SIZE + MAX_OVERFLOW
"""The most connections one engine holds; the load cap (load.py) is derived from it."""
POOL_TIMEOUT = 5.0
"""Seconds a checkout may wait. The load cap means none should; if one does, it fails fast."""


def _pool_args(url: str) -> dict[str, Any]:
    """Pool sizing; in-memory SQLite keeps one connection per thread and has no pool to size."""
    if url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW, "pool_timeout": POOL_TIMEOUT}


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **_pool_args(url)
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(
        url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **_pool_args(url)
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
