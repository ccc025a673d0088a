"""Rules the database itself keeps, whatever code writes to it."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest
from sqlalchemy import Enum, select, text
from sqlalchemy.exc import IntegrityError

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.seed import seed_bulk
from portal_tui.wire.students import EvaluationStatus

ENUM_COLUMNS = sorted(
    (table.name, column.name)
    for table in tables.Base.metadata.tables.values()
    for column in table.columns
    if isinstance(column.type, Enum)
)

PLACED = dict.fromkeys(
    ["place_all", "place_kind", "place_loc", "place_loc_kind"], 10_000
) | dict.fromkeys(["balance_after", "location_balance_after"], 0)
"""Places and balances for an entry written past services/ledger_places (it checks kinds)."""


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
                **PLACED,
            )
        )
        with pytest.raises(IntegrityError):
            db.commit()
    engine.dispose()


def test_every_enum_column_is_listed() -> None:
    """The parametrization below is not vacuous."""
    assert ("guardians", "login_access") in ENUM_COLUMNS
    assert ("ledger_entries", "kind") in ENUM_COLUMNS
    assert ("students", "gender") in ENUM_COLUMNS
    assert len(ENUM_COLUMNS) == 11


@pytest.mark.parametrize(("table", "column"), ENUM_COLUMNS)
def test_an_enum_column_refuses_a_value_outside_its_enum(
    db_url: str, table: str, column: str
) -> None:
    """Raw SQL bypasses the ORM: the CHECK constraint alone refuses the value."""
    engine = make_engine(db_url)
    with engine.connect() as connection:
        row_id = connection.scalar(text(f"SELECT MIN(id) FROM {table}"))
        assert row_id is not None, f"the demo has no {table}"
        with pytest.raises(IntegrityError):
            connection.execute(
                text(f"UPDATE {table} SET {column} = 'bogus' WHERE id = :id"), {"id": row_id}
            )
    engine.dispose()


def test_an_unknown_phone_label_is_refused_on_insert(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        family_id = connection.scalar(text("SELECT MIN(id) FROM families"))
        with pytest.raises(IntegrityError):
            connection.execute(
                text(
                    "INSERT INTO phones (family_id, number, label, opted_out, version) "
                    "VALUES (:family, '+13125550100', 'fax', false, 1)"
                ),
                {"family": family_id},
            )
    engine.dispose()


def test_an_enum_column_stores_the_value_and_reads_the_member(db_url: str) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        evaluation = db.scalars(
            select(tables.Evaluation)
            .where(tables.Evaluation.status == EvaluationStatus.IN_PROGRESS)
            .limit(1)
        ).one()
        stored = db.scalar(
            text("SELECT status FROM evaluations WHERE id = :id"), {"id": evaluation.id}
        )

    assert evaluation.status is EvaluationStatus.IN_PROGRESS
    assert stored == "in progress"
    engine.dispose()


def test_seeded_phones_are_e164(sqlite_url: str) -> None:
    """Demo and bulk data store phone numbers as E.164 ("+17735550192")."""
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db:
        seed_bulk(db, today=clock.today(), families=3, ledger_rows=0)
        numbers = db.scalars(select(tables.Phone.number)).all()
    engine.dispose()

    assert len(numbers) > 3
    for number in numbers:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number
