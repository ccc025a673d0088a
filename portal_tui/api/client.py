"""`PortalClient`: one `httpx.AsyncClient`, typed methods that return wire models.

The token travels only in the Authorization header; nothing here logs it.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from portal_tui import __version__
from portal_tui.api import errors
from portal_tui.wire import API_PREFIX, API_VERSION
from portal_tui.wire.account import AccountSummary, GuardiansOut
from portal_tui.wire.auth import LoginResult, UserOut
from portal_tui.wire.common import ErrorBody, Meta, Page
from portal_tui.wire.contacts import ContactResource, OutT
from portal_tui.wire.family import FamilyOut
from portal_tui.wire.ledger import EntryKind, LedgerRow
from portal_tui.wire.settings import BusinessOut, LocationOut
from portal_tui.wire.students import StudentOut

M = TypeVar("M")

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class PortalClient:
    """A connection to one portal server, signed in or not."""

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
            verify=verify,
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

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise errors.ServerUnreachable(self.base_url, "it did not answer in time") from exc
        except httpx.TransportError as exc:
            raise errors.ServerUnreachable(self.base_url, _reason(exc)) from exc
        except httpx.HTTPError as exc:
            raise errors.ServerError(f"The portal's answer could not be read ({exc}).") from exc
        if response.is_error:
            raise _error_for(response)
        return response

    async def _get(self, path: str, shape: type[M] | Any, **params: Any) -> M:
        query = {k: v for k, v in params.items() if v is not None}
        response = await self._request("GET", path, params=query)
        parsed: M = _parse(shape, response)
        return parsed

    async def meta(self) -> Meta:
        """The server's versions and business name; raises VersionMismatch if we differ."""
        meta: Meta = await self._get("/meta", Meta)
        if meta.api_version != API_VERSION:
            raise errors.VersionMismatch(
                f"The portal speaks API version {meta.api_version}; this app speaks "
                f"{API_VERSION}. Update the app or ask the portal's operator."
            )
        return meta

    async def login(self, email: str, password: str) -> LoginResult:
        """Sign in; the client keeps the new token for later calls."""
        payload = {"email": email, "password": password}
        response = await self._request("POST", "/auth/login", json=payload)
        result: LoginResult = _parse(LoginResult, response)
        self.token = result.token
        return result

    async def logout(self) -> None:
        """End the session on the server and forget the token."""
        try:
            await self._request("POST", "/auth/logout")
        finally:
            self.token = None

    async def me(self) -> UserOut:
        return await self._get("/auth/me", UserOut)

    async def business(self) -> BusinessOut:
        return await self._get("/settings", BusinessOut)

    async def locations(self) -> list[LocationOut]:
        return await self._get("/locations", list[LocationOut])

    def family(self, family_id: int) -> FamilyApi:
        """The family-scoped endpoints of `family_id`; every call names it."""
        return FamilyApi(self, family_id)

    async def _send(
        self, method: str, path: str, body: BaseModel | None, shape: Any, **params: Any
    ) -> Any:
        """A write: the body as JSON, the answer parsed as `shape` (None: no body)."""
        content = body.model_dump_json().encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        response = await self._request(
            method, path, content=content, headers=headers, params=params or None
        )
        return None if shape is None else _parse(shape, response)


class FamilyApi:
    """One family's endpoints (/families/{id}/…), reached through the signed-in client."""

    def __init__(self, client: PortalClient, family_id: int) -> None:
        self.client = client
        self.id = family_id
        self._path = f"/families/{family_id}"

    async def get(self) -> FamilyOut:
        """The family and the caller's capabilities in it, as the server computes them now."""
        return await self.client._get(self._path, FamilyOut)

    async def account(self) -> AccountSummary:
        return await self.client._get(f"{self._path}/account", AccountSummary)

    async def students(self) -> list[StudentOut]:
        return await self.client._get(f"{self._path}/students", list[StudentOut])

    async def guardians(self) -> GuardiansOut:
        return await self.client._get(f"{self._path}/guardians", GuardiansOut)

    async def ledger(
        self,
        *,
        location_id: int | None = None,
        kind: EntryKind | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page[LedgerRow]:
        return await self.client._get(
            f"{self._path}/ledger",
            Page[LedgerRow],
            location_id=location_id,
            kind=kind.value if kind else None,
            cursor=cursor,
            limit=limit,
        )

    async def create(self, resource: ContactResource[OutT], body: BaseModel) -> OutT:
        """Add a contact; `body` is that resource's `fields` model. Returns it as saved."""
        _check_body(body, resource.fields)
        result: OutT = await self.client._send("POST", self._of(resource), body, resource.out)
        return result

    async def update(
        self, resource: ContactResource[OutT], record_id: int, body: BaseModel
    ) -> OutT:
        """Save a changed contact (`body`, its `update` model, names the version edited); a
        Conflict carries the current record as the resource's model."""
        _check_body(body, resource.update)
        path = f"{self._of(resource)}/{record_id}"
        try:
            result: OutT = await self.client._send("PUT", path, body, resource.out)
        except errors.Conflict as exc:
            raise exc.typed(resource.out) from None
        return result

    async def delete(self, resource: ContactResource[OutT], record_id: int, version: int) -> None:
        path = f"{self._of(resource)}/{record_id}"
        try:
            await self.client._send("DELETE", path, None, None, version=version)
        except errors.Conflict as exc:
            raise exc.typed(resource.out) from None

    def _of(self, resource: ContactResource[Any]) -> str:
        return f"{self._path}/{resource.path}"


def _check_body(body: BaseModel, model: type[BaseModel]) -> None:
    """A request goes only with the model its endpoint takes (not, say, an update's to POST)."""
    if type(body) is not model:
        raise TypeError(f"expected {model.__name__}, got {type(body).__name__}")


@cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def _parse(shape: Any, response: httpx.Response) -> Any:
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
        cls = errors.SessionExpired if detail.code == "session_expired" else errors.NotSignedIn
        return cls(detail.message)
    if status == 403:
        return errors.Forbidden(detail.message)
    if status == 404:
        return errors.NotFound(detail.message)
    if status == 409:
        return errors.Conflict(detail.message, raw.get("current"))
    if status == 503:
        return errors.ServerBusy(detail.message, response.headers.get("Retry-After"))
    if status in (400, 422):
        return errors.ValidationFailed(detail.message, detail.fields)
    return errors.ServerError(detail.message)
