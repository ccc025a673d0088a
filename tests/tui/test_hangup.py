"""Over SSH the terminal can vanish: a hang-up ends the app and its demo server."""

from __future__ import annotations

import contextlib
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def drain(fd: int) -> None:
    """Read the terminal's output so the app never blocks writing to it."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def test_hang_up_ends_the_app_and_the_demo_server(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "HOME": str(tmp_path)}
    app = subprocess.Popen(
        [sys.executable, "-m", "portal_tui", "--demo"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    threading.Thread(target=drain, args=(leader,), daemon=True).start()
    try:
        assert wait_for(lambda: children_of(app.pid), 30), "the demo server never started"
        server = children_of(app.pid)[0]
        os.kill(app.pid, signal.SIGHUP)
        app.wait(10)
        assert wait_for(lambda: not running(server), 10), "the demo server outlived a hang-up"
    finally:
        if app.poll() is None:
            app.kill()
        with contextlib.suppress(OSError):
            os.close(leader)
