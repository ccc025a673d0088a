"""A burst of 400 concurrent requests is answered (as usual, or 503 with Retry-After) within
30 s, and the request after it within 1 s: a real server, on each database backend."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.types import Receive, Scope, Send

from portal_tui.server.errors import BUSY_RETRY_SECONDS
from portal_tui.server.load import Gate, LoadShedding
from portal_tui.wire import API_PREFIX
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests import servers

BURST = 400
BURST_SECONDS = 30.0
"""Every request of the burst is answered within this, counted from the first one sent."""
AFTER_SECONDS = 1.0
"""The first request after the burst is answered within this."""


@dataclass(frozen=True)
class Outcome:
    """One request's fate: its status and Retry-After, or the exception it ended in."""

    expected: int
    status: int | None
    retry_after: str | None
    seconds: float
    error: str | None = None

    @property
    def answered(self) -> bool:
        """The usual answer, or a 503 that says when to come back."""
        return self.status == self.expected or (self.status == 503 and bool(self.retry_after))


async def _request(
    client: httpx.AsyncClient,
    expected: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    json: dict[str, str] | None = None,
) -> Outcome:
    start = time.monotonic()
    try:
        response = await client.request(method, path, headers=headers, json=json)
    except httpx.HTTPError as exc:
        return Outcome(expected, None, None, time.monotonic() - start, type(exc).__name__)
    retry_after = response.headers.get("retry-after")
    return Outcome(expected, response.status_code, retry_after, time.monotonic() - start)


async def burst(
    client: httpx.AsyncClient, token: str, family_id: int, size: int = BURST
) -> list[Outcome]:
    """`size` requests at once: the open `/meta`, the signed-in `/auth/me` and the family's
    account summary, and
    sign-ins with unknown emails (the costliest request: a full argon2 check, then 401)."""
    signed_in = {"Authorization": f"Bearer {token}"}

    def request(i: int) -> Coroutine[Any, Any, Outcome]:
        kind = i % 4
        if kind == 0:
            credentials = {"email": f"nobody{i}@example.com", "password": DEMO_PASSWORD}
            return _request(client, 401, "POST", f"{API_PREFIX}/auth/login", json=credentials)
        if kind == 1:
            return _request(client, 200, "GET", f"{API_PREFIX}/meta")
        account = f"{API_PREFIX}/families/{family_id}/account"
        path = f"{API_PREFIX}/auth/me" if kind == 2 else account
        return _request(client, 200, "GET", path, headers=signed_in)

    return await asyncio.gather(*(request(i) for i in range(size)))


def burst_client(base_url: str, timeout: float = BURST_SECONDS) -> httpx.AsyncClient:
    """A client that really sends the whole burst at once: one connection per request."""
    room = BURST + 10
    limits = httpx.Limits(max_connections=room, max_keepalive_connections=room)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout)


async def sign_in(client: httpx.AsyncClient) -> tuple[str, int]:
    """The demo primary guardian's token and family id."""
    response = await client.post(
        f"{API_PREFIX}/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return str(body["token"]), int(body["user"]["family_id"])


def summary(outcomes: list[Outcome]) -> str:
    kinds = Counter(str(o.status) if o.error is None else o.error for o in outcomes)
    slowest = max(o.seconds for o in outcomes)
    return f"{dict(sorted(kinds.items()))}, slowest {slowest:.2f} s"


async def test_a_burst_is_answered_and_the_server_recovers(db_url: str) -> None:
    # Every sign-in here comes from one address: with its limit on, all but the first few
    # would be refused 429 without a hash check, and the burst would not load the server.
    servers.set_settings(db_url, login_address_max_failures="0")
    with servers.live_server(db_url) as url:
        async with burst_client(url) as client:
            token, family_id = await sign_in(client)
            start = time.monotonic()
            outcomes = await burst(client, token, family_id)
            elapsed = time.monotonic() - start

            assert elapsed < BURST_SECONDS, summary(outcomes)
            assert all(o.answered for o in outcomes), summary(outcomes)
            assert any(o.status == 200 for o in outcomes), summary(outcomes)

            start = time.monotonic()
            after = await client.get(
                f"{API_PREFIX}/auth/me",
                headers={"Authorization": f"Bearer {token}"},
                timeout=AFTER_SECONDS,
            )
            assert after.status_code == 200, after.text
            assert time.monotonic() - start < AFTER_SECONDS


async def test_a_request_with_no_turn_and_no_room_in_line_is_refused_at_once() -> None:
    """The refusal is the standard error body, with Retry-After."""
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        started.set()
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    app = LoadShedding(slow_app, server=Gate(1, max_waiting=0))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        first = asyncio.create_task(client.get("/anything"))
        await started.wait()
        refused = await client.get("/anything")
        release.set()
        assert (await first).status_code == 200

    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
    assert refused.json()["error"]["code"] == "busy"
