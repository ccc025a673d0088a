"""Rules the database itself keeps, whatever code writes to it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker


@pytest.mark.parametrize(("kind", "amount"), [("charge", 0), ("charge", -500), ("fee", 500)])
def test_ledger_entries_are_positive_and_of_a_known_kind(
    db_url: str, kind: str, amount: int
) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family_id, location_id = db.execute(
            select(tables.LedgerEntry.family_id, tables.LedgerEntry.location_id).limit(1)
        ).one()
        db.add(
            tables.LedgerEntry(
                family_id=family_id,
                location_id=location_id,
                kind=kind,
                entry_date=date(2026, 3, 1),
                amount_cents=amount,
                description="Bad entry",
            )
        )
        with pytest.raises(IntegrityError):
            db.commit()
    engine.dispose()
