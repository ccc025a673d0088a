"""Request size limit: a declared or streamed body past MAX_BODY_BYTES gets 413, never 500."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_tui.server.errors import error_response

MAX_BODY_BYTES = 64 * 1024
"""No request the portal takes is near this."""


class _TooLarge(Exception):
    pass


def _too_large() -> ASGIApp:
    return error_response(413, "too_large", "The request is too large.")


class BodyLimit:
    """ASGI middleware refusing bodies over the limit, whether declared or chunked."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            await _too_large()(scope, receive, send)
            return
        received = 0
        started = refused = False

        async def counted_receive() -> Message:
            """Pass body chunks on; past the limit, answer 413 and stop the request."""
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES and not started:
                refused = True
                await _too_large()(scope, receive, send)
                raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; drop whatever the app says after it
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            pass
