"""`portal-tui`'s arguments: bad URLs and flags are usage errors (exit status 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from portal_tui.cli import parse_args


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


def test_console_script_exits_2_on_a_bad_url() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portal_tui", "--server", "not-a-url"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "is not a server URL" in done.stderr
