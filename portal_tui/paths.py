"""Where the app keeps its files (platformdirs), created only when first written."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "portal-tui"


def config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def state_file() -> Path:
    """Remembered, non-secret state: last email per server, last location per user."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "state.json"
