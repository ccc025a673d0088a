"""The HTTP side of a portal connection: one `httpx.AsyncClient`, the token only in the
Authorization header, answers parsed into wire models and error answers into `api.errors`.

Nothing here logs the token or a request body.
"""

from __future__ import annotations

import json
import ssl
import sys
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from portal_tui import __version__
from portal_tui.api import errors
from portal_tui.wire import API_PREFIX
from portal_tui.wire.common import ErrorBody

# httpx's package imports its command-line client (click and pygments, about 30 ms of an
# app's start-up) only to offer `httpx.main`, which nothing here calls. While httpx is first
# imported, that module reads as missing and httpx keeps its small stand-in `main`; then
# anything else may import it as usual.
_HTTPX_CLI = "httpx._main"
_skip_cli = "httpx" not in sys.modules and _HTTPX_CLI not in sys.modules
if _skip_cli:
    sys.modules[_HTTPX_CLI] = None  # type: ignore[assignment]
try:
    import httpx
finally:
    if _skip_cli:
        del sys.modules[_HTTPX_CLI]

M = TypeVar("M")

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# Idle connections are dropped sooner than servers commonly close them (uvicorn: 5 s), so a
# request never goes out on a connection the server is closing at that moment: that request
# would fail with no answer (seen under load as "the connection failed").
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=3.0)


def uses_tls(base_url: str) -> bool:
    """Whether requests to `base_url` go over TLS. Only they need a certificate store: loading
    one costs about 60 ms at start-up, and a plain-HTTP client never uses it (it follows no
    redirects, so it never leaves its base URL)."""
    return httpx.URL(base_url).scheme != "http"


class PortalHttp:
    """Requests to one portal server, signed in or not."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        verify: ssl.SSLContext | bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.base_url + API_PREFIX,
            timeout=TIMEOUT,
            limits=LIMITS,
            verify=verify if uses_tls(self.base_url) else False,
            transport=transport,
            headers={"User-Agent": f"portal-tui/{__version__}"},
        )
        self.token = token

    @property
    def token(self) -> str | None:
        """The session token, sent only in the Authorization header."""
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self._http.headers["Authorization"] = f"Bearer {value}"
        else:
            self._http.headers.pop("Authorization", None)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request; a failure is raised outside the `except`, so the httpx error (and
        its request, which may hold a card in its body) is not kept as its context."""
        failure: errors.PortalError | None = None
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            failure = errors.ServerUnreachable(self.base_url, "it did not answer in time")
        except httpx.TransportError as exc:
            failure = errors.ServerUnreachable(self.base_url, _reason(exc))
        except httpx.HTTPError as exc:
            failure = errors.ServerError(
                f"The portal's answer could not be read ({type(exc).__name__})."
            )
        if failure is not None:
            raise failure
        if response.is_error:
            raise _error_for(response)
        return response

    async def read(self, path: str, shape: type[M] | Any, **params: Any) -> M:
        query = {k: v for k, v in params.items() if v is not None}
        response = await self.request("GET", path, params=query)
        parsed: M = parse(shape, response)
        return parsed

    async def send(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        shape: Any,
        *,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Any:
        """A write: the body as JSON (passwords as typed), the answer parsed as `shape`
        (None: no body); `headers` adds request headers (an Idempotency-Key)."""
        content = _json_body(body) if body is not None else None
        query = {k: v for k, v in params.items() if v is not None}
        sent = dict(headers or {})
        if content is not None:
            sent["Content-Type"] = "application/json"
        response = await self.request(
            method, path, content=content, headers=sent or None, params=query or None
        )
        return None if shape is None else parse(shape, response)


def _json_body(body: BaseModel) -> bytes:
    """`body` as JSON with each password (a SecretStr field) as typed: a model's own JSON
    hides them."""
    data = body.model_dump(mode="json")
    data.update((name, v.get_secret_value()) for name, v in body if isinstance(v, SecretStr))
    return json.dumps(data).encode()


@cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def parse(shape: Any, response: httpx.Response) -> Any:
    """The body as `shape` (a wire model or e.g. `list[Model]`)."""
    try:
        return _adapter(shape).validate_json(response.content)
    except ValidationError as exc:
        raise errors.ServerError("The portal sent an answer this app does not understand.") from exc


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "certificate" in text or "ssl" in text:
            return "its certificate could not be verified"
        return "the connection was refused or the host was not found"
    return "the connection failed"


def _error_for(response: httpx.Response) -> errors.PortalError:
    try:
        raw = response.json()
        detail = ErrorBody.model_validate({"error": raw["error"]}).error
    except (ValueError, KeyError, TypeError, ValidationError):
        return errors.ServerError(f"The portal answered with an error ({response.status_code}).")
    status = response.status_code
    if status == 401:
        unauthenticated = {
            "session_expired": errors.SessionExpired,
            "code_required": errors.TwoStepCodeNeeded,
            "code_invalid": errors.TwoStepCodeWrong,
        }
        return unauthenticated.get(detail.code, errors.NotSignedIn)(detail.message)
    if status == 403:
        return errors.Forbidden(detail.message)
    if status == 404:
        return errors.NotFound(detail.message)
    if status == 409:
        return errors.Conflict(detail.message, raw.get("current"))
    if status == 422 and detail.code == "idempotency_key_reused":
        return errors.PaymentAlreadyMade(detail.message, raw.get("current"))
    if status == 503 and detail.code == "busy":
        return errors.ServerBusy(detail.message, response.headers.get("Retry-After"))
    if status in (429, 503):
        return errors.TryLater(detail.message, response.headers.get("Retry-After"))
    if status == 422 and detail.code == "payment_declined":
        return errors.PaymentDeclined(detail.message, detail.fields)
    if status in (400, 422):
        return errors.ValidationFailed(detail.message, detail.fields)
    return errors.ServerError(detail.message)
