"""What each part of one family's endpoints shares: the connection, the family's path, and
requests by a path under it, answered as wire models."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp

M = TypeVar("M")


class FamilySection:
    """A part of /families/{id}/… (its students, payments, payment methods)."""

    def __init__(self, http: PortalHttp, family_path: str) -> None:
        self.http = http
        self.family_path = family_path
        """/families/{id}: every path given here is under it."""

    async def read(self, path: str, shape: type[M] | Any, **params: Any) -> M:
        """GET `path`, parsed as `shape` (a wire model or e.g. `list[Model]`)."""
        found: M = await self.http.read(f"{self.family_path}{path}", shape, **params)
        return found

    async def send(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        shape: Any,
        *,
        current: type[BaseModel] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Any:
        """A write to `path`, its answer parsed as `shape` (None: no body). With `current`,
        a Conflict carries the record as it is now, read as that model."""
        try:
            return await self.http.send(
                method, f"{self.family_path}{path}", body, shape, headers=headers, **params
            )
        except errors.Conflict as exc:
            if current is None:
                raise
            raise exc.typed(current) from None
