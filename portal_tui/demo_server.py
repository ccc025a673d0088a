"""The demo portal: the reference server as a child process on a fresh seeded database.

The child runs in its own process group, binds a free loopback port and reports it on
stdout; it ends with the app (its stdin closes) or when `stop()` ends its group.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
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
        self._process: asyncio.subprocess.Process | None = None
        self._dir: Path | None = None
        self.url: str | None = None

    async def start(self) -> str:
        """Start the server and return its base URL once it listens."""
        self._dir = Path(tempfile.mkdtemp(prefix="portal-demo-"))
        log = (self._dir / "server.log").open("wb")
        self._process = await asyncio.create_subprocess_exec(
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
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        assert self._process.stdout is not None
        try:
            line = await asyncio.wait_for(self._process.stdout.readline(), START_TIMEOUT)
        except TimeoutError:
            line = b""
        text = line.decode(errors="replace").strip()
        if not text.startswith(READY_PREFIX):
            self.stop()
            raise DemoServerFailed(f"The demo portal did not start. {self._log_tail()}")
        self.url = text.removeprefix(READY_PREFIX)
        return self.url

    def _log_tail(self) -> str:
        try:
            assert self._dir is not None
            return (self._dir / "server.log").read_text(errors="replace")[-500:]
        except (OSError, AssertionError):
            return ""

    def stop(self) -> None:
        """End the server's process group and remove its database."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
