"""One family's endpoints (/families/{id}/…): its reads, and adding, changing and deleting
the records its forms edit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp
from portal_tui.wire.common import OutT, Resource
from portal_tui.wire.ledger import (
    SEARCH_LIMIT,
    EntryKind,
    LedgerMatches,
    LedgerPosition,
    LedgerSort,
    LedgerWindow,
)

if TYPE_CHECKING:  # imported where used: each is loaded only when its endpoints are called
    from portal_tui.api.guardian_logins import GuardianLoginsApi
    from portal_tui.api.payment_methods import PaymentMethodApi
    from portal_tui.api.payments import PaymentApi
    from portal_tui.api.statements import StatementApi
    from portal_tui.api.students import StudentApi
    from portal_tui.wire.account import AccountSummary, GuardiansOut
    from portal_tui.wire.balances import BalanceHistory
    from portal_tui.wire.family import FamilyOut
    from portal_tui.wire.students import StudentOut


class FamilyApi:
    """One family's endpoints (/families/{id}/…), reached through the signed-in client."""

    def __init__(self, http: PortalHttp, family_id: int) -> None:
        self.http = http
        self.id = family_id
        self.path = f"/families/{family_id}"

    @property
    def payments(self) -> PaymentApi:
        """Make Payment and Apply Credit."""
        from portal_tui.api.payments import PaymentApi

        return PaymentApi(self.http, self.path)

    @property
    def statements(self) -> StatementApi:
        """The statement, the ledger report and the payment statement."""
        from portal_tui.api.statements import StatementApi

        return StatementApi(self.http, self.path)

    def student(self, student_id: int) -> StudentApi:
        """The endpoints of one of this family's students."""
        from portal_tui.api.students import StudentApi

        return StudentApi(self.http, self.path, student_id)

    @property
    def payment_methods(self) -> PaymentMethodApi:
        """The caller's stored payment methods, and the grant of permission to pay."""
        from portal_tui.api.payment_methods import PaymentMethodApi

        return PaymentMethodApi(self.http, self.path)

    @property
    def guardian_logins(self) -> GuardianLoginsApi:
        """The primary's invitations, revokes and password resets for other guardians."""
        from portal_tui.api.guardian_logins import GuardianLoginsApi

        return GuardianLoginsApi(self.http, self.path)

    async def get(self) -> FamilyOut:
        """The family and the caller's capabilities in it, as the server computes them now."""
        from portal_tui.wire.family import FamilyOut

        return await self.http.read(self.path, FamilyOut)

    async def account(self) -> AccountSummary:
        from portal_tui.wire.account import AccountSummary

        return await self.http.read(f"{self.path}/account", AccountSummary)

    async def students(self) -> list[StudentOut]:
        from portal_tui.wire.students import StudentOut

        return await self.http.read(f"{self.path}/students", list[StudentOut])

    async def guardians(self) -> GuardiansOut:
        from portal_tui.wire.account import GuardiansOut

        return await self.http.read(f"{self.path}/guardians", GuardiansOut)

    async def balance_history(self, location_id: int, points: int) -> BalanceHistory:
        """The location's balance over time, in at most `points` samples, oldest first."""
        from portal_tui.wire.balances import BalanceHistory

        return await self.http.read(
            f"{self.path}/ledger/balances", BalanceHistory, location_id=location_id, points=points
        )

    async def ledger_window(
        self,
        *,
        location_id: int | None = None,
        kind: EntryKind | None = None,
        start: int = 0,
        limit: int = 100,
        sort: LedgerSort = LedgerSort.DATE,
    ) -> LedgerWindow:
        """The filter's entries at indices start.. of `sort` order (0 = the newest, or the
        largest amount), and how many it has."""
        return await self.http.read(
            f"{self.path}/ledger/window",
            LedgerWindow,
            location_id=location_id,
            kind=kind.value if kind else None,
            start=start,
            limit=limit,
            sort=sort.value,
        )

    async def ledger_search(
        self,
        *,
        text: str,
        location_id: int | None = None,
        kind: EntryKind | None = None,
        limit: int = SEARCH_LIMIT,
    ) -> LedgerMatches:
        """The filter's newest entries (at most `limit`) whose description holds `text`."""
        return await self.http.read(
            f"{self.path}/ledger/search",
            LedgerMatches,
            q=text,
            location_id=location_id,
            kind=kind.value if kind else None,
            limit=limit,
        )

    async def ledger_position(
        self, *, on: date, location_id: int | None = None, kind: EntryKind | None = None
    ) -> LedgerPosition:
        """Go to date: the newest-first index of the filter's newest entry on or before `on`."""
        return await self.http.read(
            f"{self.path}/ledger/position",
            LedgerPosition,
            location_id=location_id,
            kind=kind.value if kind else None,
            on=on.isoformat(),
        )

    async def create(self, resource: Resource[OutT], body: BaseModel) -> OutT:
        """Add a contact; `body` is that resource's `fields` model. Returns it as saved."""
        _check_body(body, resource.fields)
        result: OutT = await self.http.send("POST", self._of(resource), body, resource.out)
        return result

    async def update(self, resource: Resource[OutT], record_id: int, body: BaseModel) -> OutT:
        """Save a changed contact (`body`, its `update` model, names the version edited); a
        Conflict carries the current record as the resource's model."""
        _check_body(body, resource.update)
        path = f"{self._of(resource)}/{record_id}"
        try:
            result: OutT = await self.http.send("PUT", path, body, resource.out)
        except errors.Conflict as exc:
            raise exc.typed(resource.out) from None
        return result

    async def delete(self, resource: Resource[OutT], record_id: int, version: int) -> None:
        path = f"{self._of(resource)}/{record_id}"
        try:
            await self.http.send("DELETE", path, None, None, version=version)
        except errors.Conflict as exc:
            raise exc.typed(resource.out) from None

    def _of(self, resource: Resource[Any]) -> str:
        return f"{self.path}/{resource.path}"


def _check_body(body: BaseModel, model: type[BaseModel]) -> None:
    """A request goes only with the model its endpoint takes (not, say, an update's to POST)."""
    if type(body) is not model:
        raise TypeError(f"expected {model.__name__}, got {type(body).__name__}")
