"""Small remembered state (never secrets): the last server, the last email per server and
the last location per server and user. A damaged file is treated as empty."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from typing import Any

from portal_tui import paths

_lock = threading.Lock()
"""Writers run in worker threads; one read-modify-write at a time."""


def _load() -> dict[str, Any]:
    try:
        data = json.loads(paths.state_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    if not isinstance(section, dict):
        section = data[name] = {}
    return section


def _change(mutate: Callable[[dict[str, Any]], None]) -> None:
    """Apply `mutate` to the state and write the file atomically."""
    path = paths.state_file()
    with _lock:
        data = _load()
        mutate(data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".state-")
            with os.fdopen(fd, "w") as file:
                json.dump(data, file, indent=1)
            os.replace(temp, path)
        except OSError:
            pass  # remembering is a convenience; a read-only home must not break the app


def last_server() -> str | None:
    value = _load().get("last_server")
    return value if isinstance(value, str) else None


def last_email(server: str) -> str | None:
    value = _section(_load(), "last_email").get(server)
    return value if isinstance(value, str) else None


def remember_sign_in(server: str, email: str) -> None:
    """The server and email of a successful sign-in, to offer (and resume) next time."""

    def mutate(data: dict[str, Any]) -> None:
        data["last_server"] = server
        _section(data, "last_email")[server] = email

    _change(mutate)


def last_location(server: str, email: str) -> int | None:
    value = _section(_load(), "location").get(f"{server}|{email}")
    return value if isinstance(value, int) else None


def remember_location(server: str, email: str, location_id: int) -> None:
    _change(lambda data: _section(data, "location").update({f"{server}|{email}": location_id}))
