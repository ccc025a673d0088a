"""The error answers each kind of route documents in the OpenAPI description."""

from __future__ import annotations

from typing import Any

from portal_tui.wire.common import ErrorBody


def error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


SIGNED_IN: dict[int | str, dict[str, Any]] = {
    401: error("No session, or it was revoked or has expired: sign in again."),
    422: error("A parameter is not valid; `fields` names each one."),
}
"""Every route that needs a session."""

FAMILY: dict[int | str, dict[str, Any]] = {
    **SIGNED_IN,
    403: error("Signed in, but not allowed here (staff, or a feature that is turned off)."),
    404: error("No such family for this caller, or no such record in it."),
}
"""Every route under /families/{family_id}."""

WRITE: dict[int | str, dict[str, Any]] = {
    **FAMILY,
    409: error("The record changed since the version named; `current` holds it as it is now."),
}
"""Every route that changes or deletes a versioned record."""

SIGN_IN: dict[int | str, dict[str, Any]] = {
    401: error(
        "The email or password is incorrect (or the account is locked for a while); with"
        " two-step verification on, `code_required` (send the code too) or `code_invalid`."
    ),
    403: error("A staff user required to use two-step verification has not turned it on."),
    429: error("Too many failed sign-ins from this address: try again after Retry-After."),
    503: error("The server is busy: try again after Retry-After."),
}
"""The sign-in route's refusals."""
