"""What the app knows once signed in, and the two ways to get there (sign in, resume)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client (and httpx) load after the first paint
    from portal_tui.api.client import PortalClient
    from portal_tui.wire.auth import UserOut
    from portal_tui.wire.common import Meta
    from portal_tui.wire.settings import BusinessOut, LocationOut


@dataclass(frozen=True)
class SignedIn:
    """A signed-in connection: the client and what every screen reads at sign-in (the
    business's settings come from the server, and the UI shows only what they turn on)."""

    client: PortalClient
    server: str
    meta: Meta
    user: UserOut
    business: BusinessOut
    locations: list[LocationOut]


async def _load(client: PortalClient, meta: Meta, user: UserOut) -> SignedIn:
    business, locations = await asyncio.gather(client.business(), client.locations())
    return SignedIn(client, client.base_url, meta, user, business, locations)


async def sign_in(client: PortalClient, email: str, password: str) -> SignedIn:
    """Check the server's version, sign in, and read the business's settings."""
    meta = await client.meta()
    result = await client.login(email, password)
    return await _load(client, meta, result.user)


async def resume(client: PortalClient) -> SignedIn:
    """Resume with the client's saved token; raises NotSignedIn when it is no longer good."""
    meta = await client.meta()
    user = await client.me()
    return await _load(client, meta, user)
