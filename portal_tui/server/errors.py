"""Domain errors raised by services, and the handlers that turn every error into ErrorBody.

No handler echoes submitted values: validation errors name the field, never its input.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal_tui.wire.common import ErrorBody, ErrorDetail

logger = logging.getLogger("portal_tui.server")


class ApiError(Exception):
    """A failure a client can act on; carries the status, a code and a readable message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAuthenticated(ApiError):
    status = 401
    code = "not_authenticated"


class SessionExpired(NotAuthenticated):
    code = "session_expired"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Invalid(ApiError):
    status = 422
    code = "invalid"


class PaymentDeclined(Invalid):
    """The gateway refused the charge; the message names why (never the card)."""

    code = "payment_declined"


class GatewayFailed(ApiError):
    """The payment gateway failed (not a decline); the same attempt may be retried."""

    status = 502
    code = "gateway_failed"


class RetryLater(ApiError):
    """Refused for now: the answer's Retry-After says how many seconds to wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


BUSY_MESSAGE = "The portal is busy. Please try again in a moment."
BUSY_RETRY_SECONDS = 2
"""What a client refused for load is told to wait before trying again."""


class Busy(RetryLater):
    """The server has no room for this request now (503)."""

    status = 503
    code = "busy"

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE, retry_after=BUSY_RETRY_SECONDS)


class TooManyAttempts(RetryLater):
    """Too many failed sign-ins from one client address (429)."""

    status = 429
    code = "too_many_attempts"


class Conflict(ApiError):
    """An update named an old version; `current` is the record as it is now."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class PaymentAlreadyMade(Conflict):
    """An Idempotency-Key came back with another amount or method than the payment it
    already made: 422, with that payment's receipt as `current` (nothing is charged again)."""

    status = 422
    code = "idempotency_key_reused"


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    current: Any = None,
    retry_after: int | None = None,
) -> JSONResponse:
    """The JSON error response; a 409 (or a reused payment key's 422) carries the `current`
    record, a 401 the Bearer challenge, a refusal for now its Retry-After."""
    detail = ErrorDetail(code=code, message=message, fields=fields or {})
    content = ErrorBody(error=detail).model_dump(mode="json")
    if current is not None:
        content["current"] = current.model_dump(mode="json")
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(content, status_code=status, headers=headers or None)


def api_error_response(exc: ApiError) -> JSONResponse:
    """The response an ApiError is answered with."""
    current = exc.current if isinstance(exc, Conflict) else None
    retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
    return error_response(exc.status, exc.code, exc.message, exc.fields, current, retry_after)


def _field_name(error: Any) -> str:
    """The field an error is about; a key the request should not have is not named back."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        loc = loc[:-1]
    if error["type"] == "json_invalid":
        return "request"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def _field_message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "has a field this request does not take"
    return str(error["msg"]).removeprefix("Value error, ")


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so every error is an ErrorBody and never a bare 500 trace."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Any:
        return api_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Any:
        fields = {_field_name(e): _field_message(e) for e in exc.errors()}
        return error_response(422, "invalid", "Some fields are not valid.", fields)

    @app.exception_handler(StaleDataError)
    async def _stale(_request: Request, _exc: StaleDataError) -> Any:
        """Two writes raced for one version: the later one is told to read it again."""
        message = "Someone changed this record at the same moment. Load it again and retry."
        return error_response(409, "conflict", message)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Any:
        logger.exception("Unexpected error", exc_info=exc)
        return error_response(
            500, "server_error", "The portal had a problem. Please try again later."
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 400:  # a body that is not even text: as invalid as bad JSON
            fields = {"request": "the body is not valid JSON text"}
            return error_response(422, "invalid", "The request could not be read.", fields)
        code = {401: "not_authenticated", 404: "not_found", 405: "method_not_allowed"}
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        return error_response(exc.status_code, code.get(exc.status_code, "http_error"), message)
