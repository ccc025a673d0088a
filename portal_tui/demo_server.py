"""The demo portal: the reference server as a child process on a fresh seeded database.

The child runs in its own process group, binds a free loopback port and reports it on
stdout; it ends with the app (its stdin closes) or when `stop()` ends its group.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

READY_PREFIX = "Portal server listening on "
START_TIMEOUT = 60.0


class DemoServerFailed(RuntimeError):
    """The demo server did not start; the message carries the tail of its log."""


class DemoServer:
    """Start, and later stop, one demo portal."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def spawn(self) -> None:
        """Start the server process; `ready()` waits for it. Cheap: call it early."""
        if self._process is not None:
            return
        self._dir = Path(tempfile.mkdtemp(prefix="portal-demo-"))
        with (self._dir / "server.log").open("wb") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "portal_tui.server",
                    "serve",
                    "--db",
                    f"sqlite:///{self._dir / 'portal.db'}",
                    "--port",
                    "0",
                    "--seed-demo",
                    "--exit-with-stdin",
                    "--outbox",  # the demo's mail stays with the demo, away from a real outbox
                    str(self._dir / "outbox"),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )

    async def ready(self) -> str:
        """The server's base URL once it listens (spawning it first if need be)."""
        self.spawn()
        assert self._process is not None and self._process.stdout is not None
        try:
            line = await asyncio.wait_for(
                asyncio.to_thread(self._process.stdout.readline), START_TIMEOUT
            )
        except TimeoutError:
            line = b""
        text = line.decode(errors="replace").strip()
        if not text.startswith(READY_PREFIX):
            tail = self._log_tail()
            self.stop()
            raise DemoServerFailed(f"The demo portal did not start. {tail}")
        return text.removeprefix(READY_PREFIX)

    def _log_tail(self) -> str:
        if self._dir is None:
            return ""
        try:
            return (self._dir / "server.log").read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def stop(self) -> None:
        """End the server's process group, reap it, and remove its database."""
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
