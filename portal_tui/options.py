"""How the app was asked to start: what the CLI parses and the screens read."""

from __future__ import annotations

import ssl
from dataclasses import dataclass


@dataclass(frozen=True)
class LaunchOptions:
    """How the app was asked to start."""

    server: str = ""
    demo: bool = False
    allow_http: bool = False
    ca_bundle: str | None = None
    email: str = ""

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """How HTTPS certificates are checked: the system's CAs, or the given bundle."""
        return ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else True
