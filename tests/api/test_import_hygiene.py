"""wire/ and api/ import no textual; the TUI's start-up path imports no server stack;
parsing the command line imports no app (LaunchOptions lives apart from both)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
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
