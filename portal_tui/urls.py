"""Checks on a server URL: well formed, and HTTPS unless on loopback (or allowed)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class BadServerUrl(ValueError):
    """The URL cannot be used; the message says why."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, *, allow_http: bool = False) -> str:
    """The URL without a trailing slash, or BadServerUrl."""
    parts = urlsplit(url.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise BadServerUrl(f"{url!r} has a port that is not valid") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadServerUrl(f"{url!r} is not a server URL (expected http(s)://host[:port])")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_http:
        raise BadServerUrl(
            f"{url} uses plain HTTP: use https:// (or --allow-http on a network you trust)"
        )
    return url.strip().rstrip("/")
