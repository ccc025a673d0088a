"""The signed-in family's account: summary, students, ledger, guardians."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal_tui.server.deps import CurrentCaller, DbSession, FamilyId, LocationId
from portal_tui.server.services import account as account_service
from portal_tui.server.services import guardians as guardians_service
from portal_tui.server.services import ledger as ledger_service
from portal_tui.server.services import students as students_service
from portal_tui.wire.account import AccountSummary, GuardiansOut
from portal_tui.wire.common import Page
from portal_tui.wire.ledger import EntryKind, LedgerRow
from portal_tui.wire.students import StudentOut

router = APIRouter(tags=["account"])


@router.get("/account", response_model=AccountSummary)
def get_account(family_id: FamilyId, db: DbSession) -> AccountSummary:
    return account_service.summary(db=db, family_id=family_id)


@router.get("/students", response_model=list[StudentOut])
def list_students(family_id: FamilyId, db: DbSession) -> list[StudentOut]:
    return students_service.list_students(db=db, family_id=family_id)


@router.get("/ledger", response_model=Page[LedgerRow])
def list_ledger(
    family_id: FamilyId,
    location_id: LocationId,
    db: DbSession,
    kind: EntryKind | None = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[LedgerRow]:
    return ledger_service.list_entries(
        db=db, family_id=family_id, location_id=location_id, kind=kind, cursor=cursor, limit=limit
    )


@router.get("/guardians", response_model=GuardiansOut)
def list_guardians(family_id: FamilyId, caller: CurrentCaller, db: DbSession) -> GuardiansOut:
    viewer_id = caller.guardian.id if caller.guardian else None
    return guardians_service.list_guardians(db=db, family_id=family_id, viewer_id=viewer_id)
