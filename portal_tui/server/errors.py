"""Domain errors raised by services, and the handlers that turn every error into ErrorBody.

No handler echoes submitted values: validation errors name the field, never its input.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


class Conflict(ApiError):
    """An update named an old version; `current` is the record as it is now."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    current: Any = None,
) -> JSONResponse:
    """The JSON error response; a 409 carries the `current` record, a 401 the Bearer challenge."""
    detail = ErrorDetail(code=code, message=message, fields=fields or {})
    content = ErrorBody(error=detail).model_dump(mode="json")
    if current is not None:
        content["current"] = current.model_dump(mode="json")
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(content, status_code=status, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so every error is an ErrorBody and never a bare 500 trace."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> Any:
        current = exc.current if isinstance(exc, Conflict) else None
        return error_response(exc.status, exc.code, exc.message, exc.fields, current)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Any:
        fields = {_field_name(tuple(e["loc"])): str(e["msg"]) for e in exc.errors()}
        return error_response(422, "invalid", "Some fields are not valid.", fields)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Any:
        logger.exception("Unexpected error", exc_info=exc)
        return error_response(
            500, "server_error", "The portal had a problem. Please try again later."
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Any:
        code = {401: "not_authenticated", 404: "not_found", 405: "method_not_allowed"}
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        return error_response(exc.status_code, code.get(exc.status_code, "http_error"), message)
