"""wire/ and api/ import no textual; the TUI's start-up path imports no server stack;
parsing the command line imports no app (LaunchOptions lives apart from both)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def modules_after(statement: str, env: dict[str, str] | None = None) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return set(out.stdout.split())


@pytest.mark.parametrize("module", ["portal_tui.api.client", "portal_tui.wire.ledger"])
def test_client_layers_import_no_textual(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded


def test_the_app_imports_no_server_stack() -> None:
    loaded = modules_after("import portal_tui.app, portal_tui.cli")
    assert not {"fastapi", "sqlalchemy", "uvicorn", "portal_tui.server"} & loaded


def test_the_command_line_parses_without_the_app() -> None:
    loaded = modules_after("import portal_tui.cli, portal_tui.options")
    assert not {"textual", "portal_tui.app", "portal_tui.screens"} & loaded


def test_my_account_imports_no_pdf_or_chart_library() -> None:
    """fpdf (0.3 s, 40 MB) and plotext load when a report is saved or a chart opened."""
    loaded = modules_after("import portal_tui.screens.main")
    assert not {"fpdf", "PIL", "fontTools", "plotext", "textual_plotext"} & loaded


def test_my_account_loads_qr_codes_and_password_checks_when_used() -> None:
    """segno draws a code when two-step is turned on; zxcvbn checks a new password."""
    loaded = modules_after("import portal_tui.screens.main, portal_tui.screens.sign_in_help")
    assert not {"segno", "zxcvbn_rs_py"} & loaded


def test_the_sign_in_screen_loads_no_client_or_settings_library(tmp_path: Path) -> None:
    """Start-up paints the sign-in screen first: pydantic, pydantic-settings and httpx load
    after it (with a session to resume, or on signing in), unless a setting is given."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PORTAL_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # no config file
    statement = (
        "from portal_tui.cli import parse_args; "
        "from portal_tui.screens.login import LoginScreen; "
        "LoginScreen(parse_args(['--server', 'http://127.0.0.1:9']))"
    )
    loaded = modules_after(statement, env)
    assert not {"pydantic", "pydantic_core", "pydantic_settings", "httpx", "keyring"} & loaded


def test_the_client_loads_only_the_endpoints_it_is_asked_for() -> None:
    """A family's ledger needs the client, httpx and the ledger's models: not every other
    endpoint's models, nor httpx's command-line client (click, pygments)."""
    loaded = modules_after(
        "from portal_tui.api.client import PortalClient; "
        "PortalClient('http://127.0.0.1:9').family(1)"
    )
    assert {"httpx", "portal_tui.wire.ledger"} <= loaded
    assert (
        not {
            "click",
            "pygments",
            "portal_tui.api.students",
            "portal_tui.api.payments",
            "portal_tui.api.account_recovery",
            "portal_tui.wire.students",
            "portal_tui.wire.account",
            "portal_tui.wire.invitations",
        }
        & loaded
    )
