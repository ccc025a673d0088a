"""How the server is run under uvicorn, the same for `portal-server serve` and the tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI
    from uvicorn import Config

# An idle connection is kept well past the client's own idle limit (the app drops its idle
# connections after a few seconds). Were the server to close first, a request the client
# sent at that moment on the closing connection would fail with no answer.
KEEP_ALIVE_SECONDS = 75


def uvicorn_config(app: FastAPI) -> Config:
    import uvicorn

    return uvicorn.Config(
        app, log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_SECONDS
    )
