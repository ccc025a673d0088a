"""`portal-server` as its users run it: a separate process, its output and exit status."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from sqlalchemy import Engine, text

from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.migrate import (
    VERSION_TABLE,
    SchemaState,
    alembic_config,
    current_revision,
    schema_state,
    upgrade,
)
from portal_tui.server.services import business as business_service
from tests.server.test_migrations import schema_differences

READY = re.compile(r"^Portal server listening on (http://127\.0\.0\.1:(\d+))$")
MIGRATE_HINT = "run `portal-server migrate`"
DEMO_BUSINESS = "Riverside Swim & Gym Academy"

Result = subprocess.CompletedProcess[str]


def server_env(**extra: str) -> dict[str, str]:
    """The test's environment (private XDG dirs, no PORTAL_* but the pinned day)."""
    return {**os.environ, "PORTAL_TODAY": "2026-03-02", **extra}


def portal_server(*args: str, env: dict[str, str] | None = None) -> Result:
    """One run to its end (a `serve` that should have refused fails the test at the timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "portal_tui.server", *args],
        capture_output=True,
        text=True,
        env=env or server_env(),
        timeout=30,
    )


def portal_servers(*runs: Sequence[str]) -> list[Result]:
    """Independent runs at the same time (each start-up costs most of a second)."""
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        return list(pool.map(lambda args: portal_server(*args), runs))


def assert_refused(result: Result, *phrases: str) -> None:
    """Failed with a message for people: status 1, no traceback, each phrase said."""
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("portal-server: "), result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def assert_ok(result: Result) -> None:
    assert result.returncode == 0, result
    assert result.stderr == "", result.stderr


def settings_of(result: Result) -> dict[str, str]:
    """`settings list` (or `set`) output as a dict."""
    assert_ok(result)
    return dict(line.split(" = ", 1) for line in result.stdout.splitlines())


def stored_settings(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            return dict(business_service.get_business(db=db).settings)
    finally:
        engine.dispose()


def first_line(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The process's first line of output, or "" when none comes in time."""
    stdout = process.stdout
    assert stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0].rstrip("\n") if lines else ""


def stop(process: subprocess.Popen[str]) -> str:
    """End the process if it still runs; return what it wrote to stderr."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    err = process.stderr.read() if process.stderr else ""
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    return err


def start(db: str, *extra: str) -> subprocess.Popen[str]:
    """`portal-server serve` on a free port."""
    return subprocess.Popen(
        [sys.executable, "-m", "portal_tui.server", "serve", "--db", db, "--port", "0", *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=server_env(),
    )


def base_url(process: subprocess.Popen[str]) -> str:
    """The URL the server says it listens on (the test fails when it says nothing)."""
    line = first_line(process)
    match = READY.match(line)
    if match is None:
        pytest.fail(f"serve did not start: {line!r}\n{stop(process)}")
    return match.group(1)


@contextmanager
def serving(db: str, *extra: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`portal-server serve` on a free port; yields the process and its base URL."""
    process = start(db, *extra)
    try:
        yield process, base_url(process)
    finally:
        stop(process)


# seed-demo


def test_seed_demo_fills_an_empty_database_once(empty_url: str) -> None:
    first = portal_server("seed-demo", "--db", empty_url)
    assert_ok(first)
    assert first.stdout == "Demo data created.\n"

    again = portal_server("seed-demo", "--db", empty_url)
    assert_refused(again, "already has data")
    assert again.stdout == ""


# settings


def test_settings_list_and_set(sqlite_url: str) -> None:
    stored = stored_settings(sqlite_url)
    before, unknown, not_a_number = portal_servers(
        ["settings", "list", "--db", sqlite_url],
        ["settings", "set", "nonsense", "1", "--db", sqlite_url],
        ["settings", "set", "max_payment_methods", "abc", "--db", sqlite_url],
    )
    listed = settings_of(before)
    assert listed["credit"] == "true"
    assert listed["name"] == DEMO_BUSINESS
    assert_refused(unknown, "Unknown setting 'nonsense'")
    assert_refused(not_a_number, "Not a valid value for max_payment_methods")
    assert unknown.stdout == not_a_number.stdout == ""
    assert stored_settings(sqlite_url) == stored  # the refused ones changed nothing

    assert_ok(portal_server("settings", "set", "credit", "off", "--db", sqlite_url))
    after = settings_of(portal_server("settings", "list", "--db", sqlite_url))
    assert after == {**listed, "credit": "false"}


def test_db_is_honoured_wherever_it_is_given(sqlite_url: str) -> None:
    results = portal_servers(
        ["--db", sqlite_url, "settings", "list"],
        ["settings", "--db", sqlite_url, "list"],
        ["settings", "list", "--db", sqlite_url],
    )
    for result in results:
        assert settings_of(result)["name"] == DEMO_BUSINESS, result.args


def test_settings_of_an_unseeded_database_say_what_to_do(tmp_path: Path) -> None:
    result = portal_server("settings", "list", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert_refused(result, "run `portal-server seed-demo`")


def test_the_db_flag_beats_portal_db_url(sqlite_url: str, tmp_path: Path) -> None:
    """`PORTAL_DB_URL` is the default database; `--db` overrides it."""
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        business_service.set_setting(db=db, name="credit", value="off")
    engine.dispose()
    env = server_env(PORTAL_DB_URL=f"sqlite:///{tmp_path / 'from-env.db'}")

    with ThreadPoolExecutor() as pool:
        seeded = pool.submit(portal_server, "seed-demo", env=env)
        flagged = pool.submit(portal_server, "settings", "list", "--db", sqlite_url, env=env)
    assert_ok(seeded.result())
    assert (tmp_path / "from-env.db").exists()
    assert settings_of(flagged.result())["credit"] == "false"


# serve


def test_serve_on_port_0_says_where_and_answers_at_once(sqlite_url: str) -> None:
    with serving(sqlite_url) as (process, url):
        response = httpx.get(f"{url}/api/v1/meta", timeout=10)  # no retry: it listens already
        assert response.status_code == 200
        assert response.json()["business_name"] == DEMO_BUSINESS
        assert process.poll() is None


def test_exit_with_stdin_ends_serve_when_stdin_closes(sqlite_url: str) -> None:
    quitter, stayer = start(sqlite_url, "--exit-with-stdin"), start(sqlite_url)
    try:
        for process in (quitter, stayer):
            base_url(process)
        assert quitter.stdin is not None and stayer.stdin is not None
        stayer.stdin.close()
        quitter.stdin.close()
        started = time.monotonic()
        assert quitter.wait(timeout=5) == 0
        time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))
        assert stayer.poll() is None  # without the flag, stdin is none of its business
    finally:
        for process in (quitter, stayer):
            stop(process)


def test_serve_refuses_an_outdated_schema_until_migrated(engine: Engine, empty_url: str) -> None:
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")  # at a revision older than head
    assert schema_state(engine) is SchemaState.OUTDATED

    refused = portal_server("serve", "--db", empty_url, "--port", "0")
    assert_refused(refused, MIGRATE_HINT)
    assert "listening" not in refused.stdout
    assert schema_state(engine) is SchemaState.OUTDATED  # left as it was

    migrated = portal_server("migrate", "--db", empty_url)
    assert_ok(migrated)
    assert migrated.stdout == "The schema is up to date.\n"
    assert schema_state(engine) is SchemaState.CURRENT


def test_migrate_builds_an_empty_database_and_serve_starts(engine: Engine, empty_url: str) -> None:
    assert_ok(portal_server("migrate", "--db", empty_url))
    assert schema_state(engine) is SchemaState.CURRENT
    assert schema_differences(engine) == []
    engine.dispose()  # PostgreSQL: no idle connection of ours while the server runs

    with serving(empty_url, "--seed-demo") as (_process, url):
        response = httpx.get(f"{url}/api/v1/meta", timeout=10)
        assert response.status_code == 200
        assert response.json()["business_name"] == DEMO_BUSINESS


def test_a_revision_from_elsewhere_is_neither_served_nor_migrated(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00dbeef'"))

    served, migrated = portal_servers(
        ["serve", "--db", url, "--port", "0"], ["migrate", "--db", url]
    )
    assert_refused(served, "'f00dbeef'", "does not know")
    assert_refused(migrated, "'f00dbeef'", "does not know")
    assert current_revision(engine) == "f00dbeef"


def test_a_busy_port_is_refused_in_words(sqlite_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = portal_server("serve", "--db", sqlite_url, "--port", port)
    assert_refused(result, f"Cannot listen on 127.0.0.1:{port}")


# the database URL


def test_an_unusable_database_is_refused_in_words(tmp_path: Path) -> None:
    cases = {
        "nonsense": "Not a database URL",
        "nosuchdb://somewhere/x": "Not a database URL",
        f"sqlite:///{tmp_path / 'missing' / 'x.db'}": "Cannot use the database",
        "postgresql+psycopg://nobody@127.0.0.1:1/x": "Cannot use the database",
    }
    results = portal_servers(*(["settings", "list", "--db", url] for url in cases))
    for phrase, result in zip(cases.values(), results, strict=True):
        assert_refused(result, phrase)


# usage


def test_usage_errors_exit_2() -> None:
    runs = [
        ["--bogus"],
        ["serve", "--bogus"],
        ["settings", "list", "--verbose"],
        ["serve", "--port", "eighty"],
        ["settings"],
        ["frobnicate"],
    ]
    for result in portal_servers(*runs):
        assert result.returncode == 2, result
        assert result.stderr.startswith("usage: portal-server"), result
        assert "error:" in result.stderr, result
        assert "Traceback" not in result.stderr, result


def test_outbox_lists_the_mail_newest_first_and_shows_one(tmp_path: Path) -> None:
    from portal_tui.server.outbox import FolderOutbox, Mail

    folder = tmp_path / "outbox"
    assert_ok(empty := portal_server("outbox", "--outbox", str(folder)))
    assert empty.stdout == f"No mail in {folder}.\n"
    outbox = FolderOutbox(folder)
    outbox.send(Mail("first@example.com", "First", "Hello first.\n"))
    outbox.send(Mail("second@example.com", "Second", "Hello second.\n"))
    listed = portal_server("outbox", env=server_env(PORTAL_OUTBOX=str(folder)))
    assert_ok(listed)
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("  1 ") and lines[0].endswith("second@example.com  Second")
    assert lines[1].endswith("first@example.com  First")
    shown = portal_server("outbox", "2", "--outbox", str(folder))
    assert_ok(shown)
    assert "To: first@example.com\nSubject: First\n\nHello first.\n" in shown.stdout
    assert_refused(portal_server("outbox", "3", "--outbox", str(folder)), "No message 3")


def test_serve_refuses_an_smtp_url_it_cannot_use(sqlite_url: str) -> None:
    result = portal_server("serve", "--db", sqlite_url, "--smtp-url", "mail.example.com")
    assert_refused(result, "smtp://")


def test_two_step_off_says_what_it_did_or_why_not(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.execute(
            text("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE email = :email"),
            {"email": "jordan.rivera@example.com"},
        )
    engine.dispose()
    done = portal_server("two-step-off", "jordan.rivera@example.com", "--db", sqlite_url)
    assert_ok(done)
    assert "off for jordan.rivera@example.com" in done.stdout
    again = portal_server("two-step-off", "jordan.rivera@example.com", "--db", sqlite_url)
    assert_refused(again, "not on")
