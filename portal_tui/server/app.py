"""The FastAPI app factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from portal_tui import __version__
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.routes import account, auth, business, meta
from portal_tui.wire import API_PREFIX
from portal_tui.wire.common import ErrorBody, ErrorDetail

MAX_BODY_BYTES = 64 * 1024
"""No request the portal takes is near this; anything larger is refused with 413."""


class BodyLimit:
    """Refuse a request whose declared body is larger than MAX_BODY_BYTES."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                detail = ErrorDetail(code="too_large", message="The request is too large.")
                response = JSONResponse(ErrorBody(error=detail).model_dump(), status_code=413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(db_url: str, **engine_options: Any) -> FastAPI:
    """The portal API on the database at `db_url`."""
    from portal_tui.server.errors import install_error_handlers

    app = FastAPI(
        title="Portal API",
        version=__version__,
        description="The reference customer-portal server for Portal TUI.",
    )
    engine = make_engine(db_url)
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    install_error_handlers(app)
    for module in (meta, auth, business, account):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_middleware(BodyLimit)
    return app
