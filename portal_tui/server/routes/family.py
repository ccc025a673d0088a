"""A family's own reads: the family with the caller's capabilities, summary, students,
ledger and guardians. Every route sits under /families/{family_id} behind one access check."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from portal_tui.server.deps import AccessedFamily, LocationId
from portal_tui.server.routes.responses import FAMILY
from portal_tui.server.services import account as account_service
from portal_tui.server.services import guardians as guardians_service
from portal_tui.server.services import ledger as ledger_service
from portal_tui.server.services import ledger_search, ledger_window
from portal_tui.server.services import students as students_service
from portal_tui.wire.account import AccountSummary, GuardiansOut
from portal_tui.wire.common import MAX_ID, Page
from portal_tui.wire.family import FamilyOut
from portal_tui.wire.ledger import (
    SEARCH_LIMIT,
    WINDOW_LIMIT,
    EntryKind,
    LedgerMatches,
    LedgerPosition,
    LedgerRow,
    LedgerSort,
    LedgerWindow,
    SearchText,
)
from portal_tui.wire.students import StudentOut

router = APIRouter(prefix="/families/{family_id}", tags=["family"], responses=FAMILY)


@router.get("", response_model=FamilyOut)
def get_family(family: AccessedFamily) -> FamilyOut:
    """The family and what the caller may do in it (read again to see changed settings)."""
    return FamilyOut(
        id=family.id,
        name=family.family.name,
        capabilities=family.capabilities,
        version=family.family.version,
    )


@router.get("/account", response_model=AccountSummary)
def get_account(family: AccessedFamily) -> AccountSummary:
    return account_service.summary(
        db=family.db, family_id=family.id, show_credit=family.capabilities.credit
    )


@router.get("/students", response_model=list[StudentOut])
def list_students(family: AccessedFamily) -> list[StudentOut]:
    return students_service.list_students(db=family.db, family_id=family.id)


@router.get("/ledger", response_model=Page[LedgerRow])
def list_ledger(
    family: AccessedFamily,
    location_id: LocationId,
    kind: EntryKind | None = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[LedgerRow]:
    return ledger_service.list_entries(
        db=family.db,
        family_id=family.id,
        location_id=location_id,
        kind=kind,
        cursor=cursor,
        limit=limit,
    )


@router.get("/ledger/window", response_model=LedgerWindow)
def ledger_window_at(
    family: AccessedFamily,
    location_id: LocationId,
    kind: EntryKind | None = None,
    start: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=WINDOW_LIMIT)] = 100,
    sort: LedgerSort = LedgerSort.DATE,
) -> LedgerWindow:
    """The filter's entries at indices start.. (0 = the newest, or with `sort=amount` the
    largest amount, ties newest first) and their number; about the same cost at any position
    of any ledger, in either order."""
    return ledger_window.window(
        db=family.db,
        family_id=family.id,
        location_id=location_id,
        kind=kind,
        start=start,
        limit=limit,
        sort=sort,
    )


@router.get("/ledger/search", response_model=LedgerMatches)
def search_ledger(
    family: AccessedFamily,
    location_id: LocationId,
    q: Annotated[SearchText, Query(description="Text to find in descriptions.")],
    kind: EntryKind | None = None,
    limit: Annotated[int, Query(ge=1, le=SEARCH_LIMIT)] = SEARCH_LIMIT,
) -> LedgerMatches:
    """The filter's newest entries whose description holds `q` (case-insensitive, `%` and
    `_` literal), at most `limit`, and whether more match."""
    return ledger_search.search(
        db=family.db,
        family_id=family.id,
        location_id=location_id,
        kind=kind,
        text=q,
        limit=limit,
    )


@router.get("/ledger/position", response_model=LedgerPosition)
def ledger_position(
    family: AccessedFamily, location_id: LocationId, on: date, kind: EntryKind | None = None
) -> LedgerPosition:
    """Go to date: the newest-first index of the newest entry of the filter dated on or
    before `on`; `index` is null when every entry is later (or there are none)."""
    return ledger_window.position(
        db=family.db, family_id=family.id, location_id=location_id, kind=kind, on=on
    )


@router.get("/guardians", response_model=GuardiansOut)
def list_guardians(family: AccessedFamily) -> GuardiansOut:
    return guardians_service.list_guardians(family)
