"""What can go wrong talking to a portal, as a small hierarchy the UI maps to messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic loads with the wire models, not with these errors
    from pydantic import BaseModel


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


class TwoStepCodeNeeded(NotSignedIn):
    """401 code_required to a right password: the account uses two-step verification, and
    no code came with it."""


class TwoStepCodeWrong(TwoStepCodeNeeded):
    """401 code_invalid: the code that came with a right password is not right, or was used
    already."""


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


class PaymentDeclined(ValidationFailed):
    """422 payment_declined: the gateway refused the charge; `message` says why."""


class Conflict(PortalError):
    """409: the record changed since it was read; `current` is the record as it is now.

    The client method that knows the record's model re-raises it typed (`typed`); `current`
    is None when the server could not say (two writes raced at the same instant).
    """

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current

    def typed(self, shape: type[BaseModel]) -> Conflict:
        """This conflict with `current` read as `shape` (None if absent or unreadable)."""
        from pydantic import ValidationError

        try:
            current = shape.model_validate(self.current) if self.current is not None else None
        except ValidationError:
            current = None
        return type(self)(self.message, current)


class PaymentAlreadyMade(Conflict):
    """422 idempotency_key_reused: this attempt's key already paid (another amount or method
    was sent since); `current` is that payment's receipt. Nothing was charged again."""


class TryLater(PortalError):
    """429 or 503: refused for now (too many failed sign-ins, mail that could not go);
    `retry_after` is the seconds the portal asked to wait."""

    def __init__(self, message: str, retry_after: str | None) -> None:
        super().__init__(message)
        self.retry_after = int(retry_after) if retry_after and retry_after.isdigit() else 1


class ServerBusy(TryLater):
    """503 busy: the portal is shedding load."""


class ServerError(PortalError):
    """Any other failure the server reported (5xx, an unexpected body)."""
