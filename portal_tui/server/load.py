"""Load shedding: a request runs only when it has a turn; it waits for one at most WAIT_SECONDS,
and only if the line is short enough to be served in that time; otherwise it gets 503 with
Retry-After at once. Nothing queues without bound.

Every request needs a turn at the server gate: MAX_IN_FLIGHT, what the server can always
serve. A request uses one pooled database connection (one session per request) and one worker
thread at a time, so with no more requests running than the pool has connections, no request
waits on another for a connection or a thread. A sign-in first needs a turn at the sign-in gate
too: its argon2 check already keeps PasswordHasher().parallelism CPUs busy, and more checks at
once than the CPUs allow would starve the event loop that answers everyone else.
"""

from __future__ import annotations

from collections.abc import Sequence

import anyio
from argon2 import PasswordHasher
from starlette.types import ASGIApp, Receive, Scope, Send

from portal_tui.server.db import POOL_CONNECTIONS
from portal_tui.server.errors import Busy, api_error_response
from portal_tui.server.security import CPUS
from portal_tui.wire import API_PREFIX

WAIT_SECONDS = 5.0
"""How long a request waits for a turn: well inside the client's 15 s read timeout."""

THREADPOOL_TOKENS = 40
"""AnyIO's default thread limiter, which runs sync routes and sync dependencies."""
MAX_IN_FLIGHT = min(POOL_CONNECTIONS, THREADPOOL_TOKENS)
"""Requests running at once: each has a connection and a thread whenever it asks for one."""
MAX_WAITING = 500
"""Requests waiting for a turn: what the server answers in WAIT_SECONDS (about 100 a second
on two CPUs, reads and sign-ins mixed)."""

SIGN_IN = ("POST", f"{API_PREFIX}/auth/login")
MAX_SIGN_INS = max(1, CPUS // PasswordHasher().parallelism)
"""Sign-ins running at once: as many argon2 checks as the CPUs hold side by side."""
MAX_SIGN_INS_WAITING = int(WAIT_SECONDS / 0.25) * MAX_SIGN_INS
"""Sign-ins waiting for a turn: a check takes about a quarter of a second."""


def busy() -> ASGIApp:
    """The 503 a shed request gets."""
    return api_error_response(Busy())


class Gate:
    """`limit` requests through at once, and at most `max_waiting` more waiting for a turn."""

    def __init__(self, limit: int, max_waiting: int) -> None:
        self.turns = anyio.Semaphore(limit, max_value=limit)
        self.max_waiting = max_waiting
        self.waiting = 0

    async def enter(self) -> bool:
        """Take a turn, waiting for one if the line has room; False at once if it has none.

        Cancelled (the caller's deadline), it leaves the line holding no turn."""
        try:
            self.turns.acquire_nowait()
            return True
        except anyio.WouldBlock:
            pass
        if self.waiting >= self.max_waiting:
            return False
        self.waiting += 1
        try:
            await self.turns.acquire()
            return True
        finally:
            self.waiting -= 1

    def leave(self) -> None:
        self.turns.release()


class LoadShedding:
    """ASGI middleware passing each HTTP request through its gates, or answering it 503."""

    def __init__(
        self,
        app: ASGIApp,
        server: Gate | None = None,
        sign_in: Gate | None = None,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        self.app = app
        self.server = server or Gate(MAX_IN_FLIGHT, MAX_WAITING)
        self.sign_in = sign_in or Gate(MAX_SIGN_INS, MAX_SIGN_INS_WAITING)
        self.wait_seconds = wait_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A sign-in waits for its own turn first, holding no server turn meanwhile.
        costly = (scope["method"], scope["path"]) == SIGN_IN
        gates = [self.sign_in, self.server] if costly else [self.server]
        if not await self._enter(gates):
            await busy()(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            for gate in gates:
                gate.leave()

    async def _enter(self, gates: Sequence[Gate]) -> bool:
        """Through every gate within the wait, or through none."""
        passed: list[Gate] = []
        with anyio.move_on_after(self.wait_seconds):
            for gate in gates:
                if not await gate.enter():
                    break
                passed.append(gate)
        if len(passed) == len(gates):
            return True
        for gate in passed:
            gate.leave()
        return False
