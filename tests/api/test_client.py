"""The API client against the real server on loopback."""

from __future__ import annotations

import logging
import socket
import ssl

import httpx
import pytest

from portal_tui.api import errors
from portal_tui.api.client import PortalClient
from portal_tui.api.http import PortalHttp, uses_tls
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from portal_tui.wire.ledger import EntryKind


async def test_sign_in_and_read(server_url: str) -> None:
    client = PortalClient(server_url)
    meta = await client.meta()
    result = await client.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert result.user.email == DEMO_EMAIL and client.token == result.token
    assert meta.business_name == (await client.business()).name
    assert result.user.family_id is not None
    family = client.family(result.user.family_id)
    assert (await family.get()).name == "Rivera Family"
    assert len(await family.students()) == 3
    window = await family.ledger_window(kind=EntryKind.PAYMENT, start=2, limit=5)
    assert len(window.items) == 5 and window.total > 7 and window.start == 2
    assert all(row.kind is EntryKind.PAYMENT for row in window.items)
    oldest = await family.ledger_window(kind=EntryKind.PAYMENT, start=window.total - 1)
    found = await family.ledger_position(kind=EntryKind.PAYMENT, on=oldest.items[0].entry_date)
    assert found.total == window.total and found.index is not None
    await client.logout()
    assert client.token is None
    await client.aclose()


async def test_wrong_password_is_not_signed_in(server_url: str) -> None:
    client = PortalClient(server_url)
    with pytest.raises(errors.NotSignedIn) as caught:
        await client.login(DEMO_EMAIL, "wrong")
    assert "incorrect" in caught.value.message
    await client.aclose()


async def test_validation_errors_carry_fields(server_url: str) -> None:
    client = PortalClient(server_url)
    with pytest.raises(errors.ValidationFailed) as caught:
        await client.login("", "x")
    assert "email" in caught.value.fields
    await client.aclose()


async def test_a_bad_token_is_not_signed_in(server_url: str) -> None:
    client = PortalClient(server_url, token="stale")
    with pytest.raises(errors.NotSignedIn):
        await client.family(1).account()
    await client.aclose()


async def test_unreachable_server_names_the_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    client = PortalClient(url)
    with pytest.raises(errors.ServerUnreachable) as caught:
        await client.meta()
    assert url in caught.value.message
    await client.aclose()


async def test_another_api_version_is_a_clear_error() -> None:
    """A server of another version is outside the project, so it is faked here."""
    body = {"server_version": "9.0", "api_version": "99", "business_name": "Elsewhere"}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    client = PortalClient("http://127.0.0.1:9", transport=transport)
    with pytest.raises(errors.VersionMismatch, match="API version 99"):
        await client.meta()
    await client.aclose()


async def test_an_unexpected_answer_is_a_server_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(500, text="<html>oops"))
    client = PortalClient("http://127.0.0.1:9", transport=transport)
    with pytest.raises(errors.ServerError):
        await client.meta()
    await client.aclose()


async def test_no_token_or_password_is_logged(
    server_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = PortalClient(server_url)
    result = await client.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert result.user.family_id is not None
    await client.family(result.user.family_id).account()
    await client.aclose()
    assert result.token not in caplog.text
    assert DEMO_PASSWORD not in caplog.text


async def test_a_conflict_carries_the_current_record_typed(server_url: str) -> None:
    from portal_tui.wire.account import PhoneOut
    from portal_tui.wire.contacts import PHONES, PhoneFields, PhoneUpdate

    client = PortalClient(server_url)
    result = await client.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert result.user.family_id is not None
    family = client.family(result.user.family_id)
    phone = await family.create(PHONES, PhoneFields(number="(312) 555-0133"))
    await family.update(PHONES, phone.id, PhoneUpdate(number="312 555 0134", version=1))
    with pytest.raises(errors.Conflict) as caught:
        await family.update(PHONES, phone.id, PhoneUpdate(number="312 555 0135", version=1))
    with pytest.raises(TypeError):  # an update's model is not what adding takes
        await family.create(PHONES, PhoneUpdate(number="312 555 0136", version=1))
    assert isinstance(caught.value.current, PhoneOut)
    assert caught.value.current.number == "+13125550134"
    await client.aclose()


async def test_a_busy_server_says_when_to_try_again() -> None:
    """Shedding load is the server's; a 503 is faked here to see how the client reads it."""
    body = {"error": {"code": "busy", "message": "The portal is busy."}}
    headers = {"Retry-After": "3"}
    transport = httpx.MockTransport(lambda request: httpx.Response(503, json=body, headers=headers))
    client = PortalClient("http://127.0.0.1:9", transport=transport)
    with pytest.raises(errors.ServerBusy) as caught:
        await client.meta()
    assert caught.value.retry_after == 3
    await client.aclose()


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (503, "mail_failed", "The email could not be sent just now, so nothing was changed."),
        (429, "too_many_attempts", "Too many failed sign-ins from here."),
    ],
)
async def test_a_refusal_for_now_keeps_the_portals_own_words(
    status: int, code: str, message: str
) -> None:
    """Not every 503 is load: the portal's message is what the user reads, not "busy"."""
    body = {"error": {"code": code, "message": message}}
    answer = httpx.Response(status, json=body, headers={"Retry-After": "60"})
    client = PortalClient("http://127.0.0.1:9", transport=httpx.MockTransport(lambda r: answer))
    with pytest.raises(errors.TryLater) as caught:
        await client.meta()
    assert not isinstance(caught.value, errors.ServerBusy)
    assert caught.value.message == message and caught.value.retry_after == 60
    await client.aclose()


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.DecodingError("bad")],
    ids=["connect", "timeout", "decoding"],
)
async def test_a_failed_request_keeps_nothing_of_what_was_sent(
    failure: httpx.HTTPError,
) -> None:
    """The error raised holds no httpx error (nor its request, which may carry a card)."""

    def fail(request: httpx.Request) -> httpx.Response:
        failure.request = request
        raise failure

    http = PortalHttp("http://127.0.0.1:9", transport=httpx.MockTransport(fail))
    with pytest.raises(errors.PortalError) as caught:
        await http.request("POST", "/x", content=b'{"number": "4242424242424242"}')
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert "127.0.0.1:9" in caught.value.message or "could not be read" in caught.value.message
    await http.aclose()


def test_idle_connections_close_at_the_client_first() -> None:
    """A request sent on a connection the server is closing fails with no answer, so the app
    drops idle connections before a server with uvicorn's defaults would, and our server keeps
    them far longer than the app does."""
    from fastapi import FastAPI
    from uvicorn import Config

    from portal_tui.api.http import LIMITS
    from portal_tui.server.serving import uvicorn_config

    assert LIMITS.keepalive_expiry is not None
    assert LIMITS.keepalive_expiry < Config(FastAPI()).timeout_keep_alive - 1
    assert uvicorn_config(FastAPI()).timeout_keep_alive > 10 * LIMITS.keepalive_expiry


@pytest.mark.parametrize(
    ("url", "tls"),
    [("http://127.0.0.1:8000", False), ("https://portal.example.com", True), ("HTTP://h", False)],
)
def test_only_a_tls_server_loads_the_certificate_store(url: str, tls: bool) -> None:
    # Loading the store costs about 60 ms of start-up; plain HTTP never uses it, and TLS
    # still verifies certificates.
    assert uses_tls(url) is tls
    context = PortalHttp(url)._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert (context.verify_mode == ssl.CERT_REQUIRED) is tls
    assert bool(context.get_ca_certs()) is tls
