"""Small remembered state (never secrets): last email per server, last location per user."""

from __future__ import annotations

import json
from typing import Any

from portal_tui import paths


def _load() -> dict[str, Any]:
    try:
        data = json.loads(paths.state_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    path = paths.state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1))
    except OSError:
        pass  # remembering is a convenience; a read-only home must not break the app


def last_email(server: str) -> str | None:
    value = _load().get("last_email", {}).get(server)
    return value if isinstance(value, str) else None


def remember_email(server: str, email: str | None) -> None:
    data = _load()
    emails = data.setdefault("last_email", {})
    if email is None:
        emails.pop(server, None)
    else:
        emails[server] = email
    _save(data)


def last_location(server: str, email: str) -> int | None:
    value = _load().get("location", {}).get(f"{server}|{email}")
    return value if isinstance(value, int) else None


def remember_location(server: str, email: str, location_id: int) -> None:
    data = _load()
    data.setdefault("location", {})[f"{server}|{email}"] = location_id
    _save(data)
