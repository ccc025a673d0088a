"""What can go wrong talking to a portal, as a small hierarchy the UI maps to messages."""

from __future__ import annotations

from typing import Any


class PortalError(Exception):
    """Any failure talking to the portal; `message` is fit to show a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServerUnreachable(PortalError):
    """No answer from the server (refused, timed out, name not found, TLS failure)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Cannot reach the portal at {url}: {reason}.")
        self.url = url


class VersionMismatch(PortalError):
    """The server speaks another API version than this client."""


class NotSignedIn(PortalError):
    """401: the credentials were wrong, or the session is missing, revoked or expired."""


class SessionExpired(NotSignedIn):
    """401 with code session_expired: sign in again."""


class Forbidden(PortalError):
    """403: signed in, but not allowed to do that."""


class NotFound(PortalError):
    """404: no such record (or not one of this family's)."""


class ValidationFailed(PortalError):
    """422: some fields are not valid; `fields` maps field name to message."""

    def __init__(self, message: str, fields: dict[str, str]) -> None:
        super().__init__(message)
        self.fields = fields


class Conflict(PortalError):
    """409: the record changed since it was read; `current` is the record as it is now."""

    def __init__(self, message: str, current: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.current = current


class ServerError(PortalError):
    """Any other failure the server reported (5xx, an unexpected body)."""
