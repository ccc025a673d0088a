"""`portal-tui`'s arguments: bad URLs and flags are usage errors (exit status 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_tui.cli import SETTINGS, parse_args, read_settings
from portal_tui.config import AppConfig
from portal_tui.options import LaunchOptions


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--server", "not-a-url"], "is not a server URL"),
        (["--server", "ftp://portal.example.com"], "is not a server URL"),
        (["--server", "http://portal.example.com"], "plain HTTP"),
        (["--no-such-flag"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: portal-tui")
    assert message in err


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000", "https://a.example"],
)
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    assert parse_args(["--server", url]).server == url.rstrip("/")


def test_allow_http_accepts_plain_http_elsewhere() -> None:
    options = parse_args(["--server", "http://10.0.0.5:8000", "--allow-http"])
    assert options.server == "http://10.0.0.5:8000"


def test_environment_supplies_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_SERVER", "https://portal.example.com")
    assert parse_args([]).server == "https://portal.example.com"
    assert parse_args(["--server", "https://other.example"]).server == "https://other.example"


def test_without_settings_given_the_defaults_are_the_config_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No PORTAL_ setting and no config file: the options are what AppConfig would read."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in SETTINGS:
        monkeypatch.delenv(f"PORTAL_{name.upper()}", raising=False)
    assert set(SETTINGS) == set(AppConfig.model_fields)
    config = AppConfig()
    assert read_settings() == LaunchOptions(**{name: getattr(config, name) for name in SETTINGS})


def test_the_config_file_supplies_the_email(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in SETTINGS:
        monkeypatch.delenv(f"PORTAL_{name.upper()}", raising=False)
    (tmp_path / "portal-tui").mkdir()
    (tmp_path / "portal-tui" / "config.toml").write_text('email = "ava@example.com"\n')
    assert parse_args([]).email == "ava@example.com"
    monkeypatch.setenv("portal_email", "ben@example.com")  # any case, as AppConfig reads it
    assert parse_args([]).email == "ben@example.com"


def test_console_script_exits_2_on_a_bad_url() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portal_tui", "--server", "not-a-url"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "is not a server URL" in done.stderr
