"""Server configuration: where the database is and where to listen."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_db_url() -> str:
    """An SQLite file in the user data directory (created on demand, not at import)."""
    data_dir = Path(platformdirs.user_data_dir("portal-server", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'portal.db'}"
