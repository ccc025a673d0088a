"""What the app knows once signed in, the family it opens, and the ways to get there."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client (and httpx) load after the first paint
    from portal_tui.api.client import PortalClient
    from portal_tui.api.family import FamilyApi
    from portal_tui.wire.auth import UserOut
    from portal_tui.wire.common import Meta
    from portal_tui.wire.family import Capabilities, FamilyOut
    from portal_tui.wire.settings import BusinessOut, LocationOut


@dataclass(frozen=True)
class SignedIn:
    """A signed-in connection: the client and what every screen reads at sign-in."""

    client: PortalClient
    server: str
    meta: Meta
    user: UserOut
    business: BusinessOut
    """The business as at sign-in; My Account reads `OpenFamily.business`, kept current."""
    locations: list[LocationOut]
    remember: bool = True
    """Keep a renewed token in the keyring (never for the demo portal)."""

    def location_name(self, location_id: int | None) -> str | None:
        """The name of one of the business's locations (None for no or an unknown id)."""
        return next((loc.name for loc in self.locations if loc.id == location_id), None)


@dataclass
class OpenFamily:
    """The family My Account shows, named explicitly: its endpoints, and what the caller may
    do there (read again on refresh, so changed settings show without a new sign-in)."""

    portal: SignedIn
    api: FamilyApi
    family: FamilyOut
    business: BusinessOut
    """The business's settings as last read (at sign-in, then on each refresh)."""

    @property
    def capabilities(self) -> Capabilities:
        return self.family.capabilities

    async def refresh(self) -> bool:
        """Read the family and the business's settings again; True when what the caller may
        do, or a setting, has changed."""
        try:
            async with asyncio.TaskGroup() as reads:
                family_read = reads.create_task(self.api.get())
                business_read = reads.create_task(self.portal.client.business())
        except* Exception as failed:  # the failure policy reads one error, not a group
            raise failed.exceptions[0] from None
        family, business = family_read.result(), business_read.result()
        changed = family.capabilities != self.family.capabilities or business != self.business
        self.family, self.business = family, business
        return changed


class NoFamily(Exception):
    """The account has no family this app can open (staff, until staff mode exists)."""


async def open_family(portal: SignedIn, family_id: int | None = None) -> OpenFamily:
    """Open `family_id`, or the signed-in guardian's own family."""
    family_id = family_id or portal.user.family_id
    if family_id is None:
        raise NoFamily("This account has no family to open here.")
    api = portal.client.family(family_id)
    return OpenFamily(portal, api, await api.get(), portal.business)


async def keep_token(portal: SignedIn) -> bool:
    """Keep the session's token in the keyring for the next start (never a demo's); False
    when it will not be remembered."""
    from portal_tui import token_store

    if not portal.remember:
        return False
    token = portal.client.token or ""
    return await asyncio.to_thread(token_store.save, portal.server, portal.user.email, token)


async def _load(client: PortalClient, meta: Meta, user: UserOut, remember: bool) -> SignedIn:
    business, locations = await asyncio.gather(client.business(), client.locations())
    return SignedIn(client, client.base_url, meta, user, business, locations, remember)


async def sign_in(
    client: PortalClient,
    email: str,
    password: str,
    *,
    code: str | None = None,
    remember: bool = True,
) -> SignedIn:
    """Check the server's version, sign in (with `code` when two-step verification is on),
    and read the business's settings."""
    meta = await client.meta()
    result = await client.login(email, password, code)
    return await _load(client, meta, result.user, remember)


async def resume(client: PortalClient) -> SignedIn:
    """Resume with the client's saved token; raises NotSignedIn when it is no longer good."""
    meta = await client.meta()
    user = await client.me()
    return await _load(client, meta, user, True)
