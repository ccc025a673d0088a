"""The migrations build exactly the tables' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Engine, column, insert, inspect, select, table, text
from sqlalchemy.exc import IntegrityError

from portal_tui.server import tables
from portal_tui.server.coltypes import UTCDateTime
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.migrate import (
    VERSION_TABLE,
    SchemaState,
    alembic_config,
    create_at_head,
    current_revision,
    head_revision,
    schema_state,
    upgrade,
)
from portal_tui.server.tables import Base
from portal_tui.server.tables.ledger_text import FTS, FTS_TABLES, TRIGGERS, TRIGRAM_INDEX, compared
from portal_tui.wire.checkin import CHECKIN_CODE_PATTERN
from tests.server.conftest import empty_database
from tests.server.test_ledger_places import counted, stored
from tests.server.test_ledger_totals import counted_amounts, kept_amounts


def schema_differences(engine: Engine) -> list[Any]:
    """What autogenerate would add to make the database match the tables' metadata."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "compare_server_default": True, "include_name": compared},
        )
        return list(compare_metadata(context, Base.metadata))


def table_names(engine: Engine) -> set[str]:
    """The database's tables but the text index's (SQLite's FTS tables)."""
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names()) - FTS_TABLES


def check_constraints(engine: Engine) -> dict[str, set[tuple[str | None, str]]]:
    """Each table's CHECK constraints as the database reports them: (name, condition)."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {
            name: {(ck["name"], ck["sqltext"]) for ck in inspector.get_check_constraints(name)}
            for name in inspector.get_table_names()
            if name != VERSION_TABLE
        }


def ledger_places(engine: Engine) -> int:
    """The families' locations with ledger entries: each has a row of totals from 0008."""
    with engine.connect() as connection:
        pairs = "SELECT family_id, location_id FROM ledger_entries GROUP BY family_id, location_id"
        return connection.scalar(text(f"SELECT COUNT(*) FROM ({pairs}) AS pairs")) or 0


def amount_buckets(engine: Engine) -> int:
    """The families' (location, kind, amount, year) with ledger entries: each has a row of
    counts from 0011."""
    entries = "SELECT family_id, location_id, kind, amount_cents, entry_date FROM ledger_entries"
    with engine.connect() as connection:
        rows = connection.execute(text(entries)).all()
    return len({(*key, str(day)[:4]) for *key, day in rows})


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in each of the tables' tables that the database has (at its revision)."""
    present = table_names(engine)
    with engine.connect() as connection:
        return {
            name: connection.scalar(text(f"SELECT COUNT(*) FROM {name}")) or 0
            for name in Base.metadata.tables
            if name in present
        }


def test_an_empty_database_is_empty(engine: Engine) -> None:
    assert schema_state(engine) is SchemaState.EMPTY
    assert current_revision(engine) is None


def test_the_migrations_build_exactly_the_tables_schema(engine: Engine) -> None:
    upgrade(engine)

    assert schema_differences(engine) == []
    assert table_names(engine) == set(Base.metadata.tables) | {VERSION_TABLE}
    assert current_revision(engine) == head_revision(engine)
    assert schema_state(engine) is SchemaState.CURRENT


def test_the_migrations_build_the_tables_check_constraints(
    engine: Engine, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """compare_metadata does not look at CHECK constraints: compare them with a database
    the tables built themselves, on the same backend."""
    upgrade(engine)
    backend = "sqlite" if engine.dialect.name == "sqlite" else "postgres"
    with empty_database(request, backend, tmp_path) as url:
        built = make_engine(url)
        create_at_head(built)
        expected = check_constraints(built)
        built.dispose()

    assert check_constraints(engine) == expected
    assert {name for name, _ in expected["guardians"]} == {"ck_guardians_login_access_known"}


def test_a_0001_database_keeps_its_rows_through_upgrade(db_url: str) -> None:
    """The demo, taken back to 0001 with an audit row of that time, upgrades to head with
    every row kept, the old audit row filled in, and the enum columns constrained."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0001")
    old_audit = table(
        "audit_log",
        column("at", UTCDateTime()),
        column("action"),
        column("detail", JSON()),
    )
    with engine.begin() as connection:
        connection.execute(
            insert(old_audit).values(
                at=datetime(2026, 3, 1, 15, tzinfo=UTC), action="email.update", detail={}
            )
        )
        student_ids = (
            connection.execute(text("SELECT id FROM students ORDER BY id")).scalars().all()
        )
        old_codes = ["STU-000001", "BLK-000002", "LEDGER-000003"]
        for student_id, old_code in zip(student_ids, old_codes, strict=False):
            connection.execute(
                text("UPDATE students SET checkin_code = :code WHERE id = :id"),
                {"code": old_code, "id": student_id},
            )
    before = row_counts(engine)
    statuses = "SELECT id, status FROM evaluations ORDER BY id"
    with engine.connect() as connection:
        evaluations = connection.execute(text(statuses)).all()

    upgrade(engine)

    assert schema_state(engine) is SchemaState.CURRENT
    assert schema_differences(engine) == []
    assert row_counts(engine) == {
        **before,
        "recurring_authorizations": 0,
        "ledger_totals": ledger_places(engine),
        "ledger_amounts": amount_buckets(engine),
        "sign_in_failures": 0,
        "recovery_codes": 0,
        "password_resets": 0,
    }
    assert before["guardians"] > 0
    assert before["audit_log"] == 1
    new_audit = table(
        "audit_log", column("source"), column("client_address"), column("records", JSON())
    )
    with engine.connect() as connection:
        assert connection.execute(text(statuses)).all() == evaluations
        assert connection.execute(select(new_audit)).one() == ("", None, {})
        codes = connection.execute(text("SELECT checkin_code FROM students")).scalars().all()
        assert len(codes) >= len(old_codes) and len(set(codes)) == len(codes)
        assert all(re.fullmatch(CHECKIN_CODE_PATTERN, code) for code in codes)
        assert not set(codes) & set(old_codes)
        with pytest.raises(IntegrityError):
            connection.execute(text("UPDATE guardians SET login_access = 'root'"))
    engine.dispose()


def test_the_upgrade_refuses_values_outside_an_enum_and_changes_nothing(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(text("UPDATE phones SET label = 'fax'"))

    with pytest.raises(RuntimeError, match=r"phones\.label holds \['fax'\]"):
        upgrade(engine)

    assert current_revision(engine) == "0001"
    later = {  # after 0001
        "recurring_authorizations",
        "ledger_totals",
        "ledger_amounts",
        "sign_in_failures",
        "recovery_codes",
        "password_resets",
    }
    assert table_names(engine) == set(Base.metadata.tables) - later | {VERSION_TABLE}
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_the_comparison_sees_a_missing_index(engine: Engine) -> None:
    """The check above is not vacuous: it notices a schema that drifted."""
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_families_name"))

    differences = schema_differences(engine)

    assert [diff[0] for diff in differences] == ["add_index"]
    assert differences[0][1].name == "ix_families_name"


def test_create_at_head_is_current_and_matches_the_migrations(engine: Engine) -> None:
    create_at_head(engine)

    assert schema_state(engine) is SchemaState.CURRENT
    assert schema_differences(engine) == []


def test_downgrade_to_base_then_upgrade_again(engine: Engine) -> None:
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")

    assert table_names(engine) == {VERSION_TABLE}
    assert schema_state(engine) is SchemaState.OUTDATED

    upgrade(engine)

    assert schema_state(engine) is SchemaState.CURRENT
    assert schema_differences(engine) == []


def test_a_revision_these_migrations_lack_is_unknown(engine: Engine) -> None:
    create_at_head(engine)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00dbeef'"))

    assert schema_state(engine) is SchemaState.UNKNOWN
    assert current_revision(engine) == "f00dbeef"


def test_tables_without_a_revision_are_unknown(engine: Engine) -> None:
    Base.metadata.create_all(engine)  # as if another tool had made them

    assert schema_state(engine) is SchemaState.UNKNOWN


def test_the_migrations_have_one_head_and_start_from_base() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1
    assert [rev.down_revision for rev in script.walk_revisions()][-1] is None


def test_the_downgrade_refuses_a_payment_split_over_locations(db_url: str) -> None:
    """Before 0006 a key named one entry: a payment recorded at two locations cannot go back."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:
        payment = connection.execute(
            text("SELECT id, location_id FROM ledger_entries WHERE kind = 'payment' LIMIT 1")
        ).one()
        other = connection.execute(
            text("SELECT id FROM locations WHERE id != :id LIMIT 1"), {"id": payment.location_id}
        ).scalar_one()
        connection.execute(
            text("UPDATE ledger_entries SET idempotency_key = 'k' WHERE id = :id"),
            {"id": payment.id},
        )
        connection.execute(
            text(
                "INSERT INTO ledger_entries (family_id, kind, entry_date, location_id, "
                "amount_cents, description, idempotency_key, created_at) SELECT family_id, kind, "
                "entry_date, :other, amount_cents, description, idempotency_key, created_at "
                "FROM ledger_entries WHERE id = :id"
            ),
            {"id": payment.id, "other": other},
        )
    with pytest.raises(RuntimeError, match="recorded at several locations"):
        command.downgrade(alembic_config(engine), "0005")
    assert current_revision(engine) == "0006"


def test_0005_debit_cards_go_back_as_credit_cards_and_one_default_is_kept(db_url: str) -> None:
    """Downgraded, a debit card becomes a credit card ("card") and a second default is
    allowed again; the upgrade refuses it, changing nothing, and otherwise makes the
    partial index."""
    engine = make_engine(db_url)
    methods = "SELECT id, kind FROM payment_methods ORDER BY id"
    with engine.begin() as connection:
        connection.execute(text("UPDATE payment_methods SET kind = 'debit' WHERE kind = 'card'"))
        debits = connection.execute(text(methods)).all()
    assert {kind for _, kind in debits} == {"debit", "bank"}

    command.downgrade(alembic_config(engine), "0004")

    with engine.begin() as connection:
        assert connection.execute(text(methods)).all() == [
            (row_id, "card" if kind == "debit" else kind) for row_id, kind in debits
        ]
        connection.execute(text("UPDATE payment_methods SET is_default = true"))
    with pytest.raises(RuntimeError, match="more than one default"):
        upgrade(engine)
    assert current_revision(engine) == "0004"

    with engine.begin() as connection:
        connection.execute(text("UPDATE payment_methods SET is_default = false"))
    upgrade(engine)

    with engine.connect() as connection:
        indexes = inspect(connection).get_indexes("payment_methods")
    (one_default,) = [i for i in indexes if i["name"] == "uq_payment_methods_one_default"]
    options = one_default["dialect_options"]
    (where,) = [v for k, v in options.items() if k.endswith("_where")]  # a partial index
    assert "is_default" in str(where) and "removed" in str(where)
    engine.dispose()


def test_0007_fills_every_entrys_places_and_balances(db_url: str) -> None:
    """Entries written before 0007, one of them backdated (its id is not in date order),
    keep their rows and get the places and balances a count of them gives."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ledger_entries (family_id, kind, entry_date, location_id, "
                "amount_cents, description, created_at) SELECT family_id, 'charge', "
                "entry_date, location_id, 777, 'Backdated', created_at FROM ledger_entries "
                "WHERE id = (SELECT min(id) FROM ledger_entries)"
            )
        )
    before = row_counts(engine)

    upgrade(engine)

    assert row_counts(engine) == {
        **before,
        "ledger_totals": ledger_places(engine),
        "ledger_amounts": amount_buckets(engine),
        "sign_in_failures": 0,
        "recovery_codes": 0,
        "password_resets": 0,
    }
    assert schema_differences(engine) == []
    with make_sessionmaker(engine)() as db:
        families = db.scalars(select(tables.Family.id)).all()
        assert len(families) > 2
        for family_id in families:
            assert stored(db, family_id) == counted(db, family_id)
    engine.dispose()


def test_0011_counts_the_entries_by_amount_and_its_downgrade_drops_them(db_url: str) -> None:
    """Entries written before 0011, one of them backdated years into a new amount, are
    counted by location, kind, amount and year as a recount gives them; the downgrade drops
    the counts and the upgrade counts them again."""
    engine = make_engine(db_url)
    command.downgrade(alembic_config(engine), "0010")
    assert "ledger_amounts" not in table_names(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ledger_entries (family_id, kind, entry_date, location_id, "
                "amount_cents, description, created_at, place_all, place_kind, place_loc, "
                "place_loc_kind, balance_after, location_balance_after) SELECT family_id, "
                "'credit', :day, location_id, 4321, 'Backdated', created_at, 0, 0, 0, 0, 0, 0 "
                "FROM ledger_entries WHERE id = (SELECT min(id) FROM ledger_entries)"
            ),
            {"day": date(2019, 6, 30)},
        )
    before = row_counts(engine)

    upgrade(engine)

    later = {
        "ledger_amounts": amount_buckets(engine),
        "sign_in_failures": 0,
        "recovery_codes": 0,
        "password_resets": 0,
    }
    assert row_counts(engine) == {**before, **later}
    assert schema_differences(engine) == []
    with make_sessionmaker(engine)() as db:
        families = db.scalars(select(tables.Family.id)).all()
        assert len(families) > 2
        for family_id in families:
            assert kept_amounts(db, family_id) == counted_amounts(db, family_id)
        kept = [bucket for family_id in families for bucket in kept_amounts(db, family_id)]
        assert (4321, 2019) in {(amount, year) for _loc, _kind, amount, year in kept}
    command.downgrade(alembic_config(engine), "0010")
    assert "ledger_amounts" not in table_names(engine)
    assert row_counts(engine) == before
    upgrade(engine)
    assert schema_differences(engine) == []


def text_index(engine: Engine) -> dict[str, str]:
    """The text index's parts in the database, with the SQL that made them: the FTS table,
    its shadow tables and triggers on SQLite, the trigram index on PostgreSQL."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            parts = "SELECT name, sql FROM sqlite_master WHERE name LIKE 'ledger_fts%'"
            return {name: sql for name, sql in connection.execute(text(parts))}
        parts = "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = :name"
        rows = connection.execute(text(parts), {"name": TRIGRAM_INDEX})
        return {name: sql for name, sql in rows}


def test_0012_makes_the_text_index_the_tables_make_over_every_entry(db_url: str) -> None:
    """Down a revision the text index is gone; back up it is what the tables' metadata made
    (the seeded database's), and holds the entries written without it."""
    engine = make_engine(db_url)
    made = text_index(engine)
    sqlite = engine.dialect.name == "sqlite"
    assert set(made) == (FTS_TABLES | set(TRIGGERS) if sqlite else {TRIGRAM_INDEX})

    command.downgrade(alembic_config(engine), "0011")

    assert text_index(engine) == {}
    oldest = "SELECT min(id) FROM ledger_entries"
    with engine.begin() as connection:
        entry_id = connection.scalar(text(oldest))
        connection.execute(
            text("UPDATE ledger_entries SET description = 'A quokka' WHERE id = :id"),
            {"id": entry_id},
        )

    upgrade(engine)

    assert text_index(engine) == made
    assert schema_state(engine) is SchemaState.CURRENT
    with engine.connect() as connection:
        if sqlite:
            found = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH '\"QUOKKA\"'"
            assert connection.execute(text(found)).scalars().all() == [entry_id]
            connection.execute(
                text(f"INSERT INTO {FTS}({FTS}, rank) VALUES ('integrity-check', 1)")
            )
        else:
            extensions = "SELECT extname FROM pg_extension"
            assert "pg_trgm" in connection.execute(text(extensions)).scalars().all()
    engine.dispose()


def test_0013_adds_the_failed_sign_ins_per_address_and_takes_them_away(db_url: str) -> None:
    """The seeded rows stay through the downgrade and the upgrade; only the new table goes."""
    engine = make_engine(db_url)
    before = row_counts(engine)
    command.downgrade(alembic_config(engine), "0012")

    assert "sign_in_failures" not in table_names(engine)

    upgrade(engine)

    assert row_counts(engine) == {
        **before,
        "sign_in_failures": 0,
        "recovery_codes": 0,
        "password_resets": 0,
    }
    assert schema_differences(engine) == []
    engine.dispose()


def test_0015_adds_two_step_verification_and_takes_it_away(db_url: str) -> None:
    """The new columns and the recovery codes go with the downgrade; every other row stays.
    The secret's column is older than 0015 and stays: two-step verification is on again after
    the upgrade, without recovery codes."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        user = db.scalars(select(tables.User).order_by(tables.User.id)).first()
        assert user is not None
        user.totp_secret = "JBSWY3DPEHPK3PXP"
        user.totp_enabled_at = datetime(2026, 3, 1, tzinfo=UTC)
        user.totp_last_step = 59_000_000
        db.add(tables.RecoveryCode(user_id=user.id, code_hash="0" * 64))
    before = row_counts(engine)
    command.downgrade(alembic_config(engine), "0014")

    assert "recovery_codes" not in table_names(engine)
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("users")}
    assert not columns & {"totp_pending_secret", "totp_enabled_at", "totp_last_step"}

    upgrade(engine)

    assert row_counts(engine) == {**before, "recovery_codes": 0, "password_resets": 0}
    assert schema_differences(engine) == []
    with make_sessionmaker(engine)() as db:
        kept = db.scalars(select(tables.User).order_by(tables.User.id)).first()
        assert kept is not None
        assert (kept.totp_secret, kept.totp_enabled_at, kept.totp_last_step) == (
            "JBSWY3DPEHPK3PXP",
            None,
            None,
        )
    engine.dispose()


def test_0016_adds_password_resets_and_its_downgrade_drops_them(db_url: str) -> None:
    """Reset codes go with the downgrade (a user asks again); every other row stays."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        user = db.scalars(select(tables.User).order_by(tables.User.id)).first()
        assert user is not None
        db.add(
            tables.PasswordReset(
                user_id=user.id,
                token_hash="1" * 64,
                expires_at=datetime(2026, 3, 2, 16, tzinfo=UTC),
                created_at=datetime(2026, 3, 2, 15, tzinfo=UTC),
            )
        )
    before = row_counts(engine)
    command.downgrade(alembic_config(engine), "0015")

    assert "password_resets" not in table_names(engine)

    upgrade(engine)

    assert row_counts(engine) == {**before, "password_resets": 0}
    assert schema_differences(engine) == []
    engine.dispose()


def test_0017_gives_every_guardian_an_empty_relation_and_its_downgrade_drops_it(
    db_url: str,
) -> None:
    """Guardians made before 0017 keep their rows and get no relation; going back drops the
    column and keeps the rows (and the guardians' CHECK constraint) again."""
    engine = make_engine(db_url)
    guardians = "SELECT id, first_name, last_name, login_access FROM guardians ORDER BY id"
    command.downgrade(alembic_config(engine), "0016")
    with engine.connect() as connection:
        assert "relation" not in {c["name"] for c in inspect(connection).get_columns("guardians")}
        before = connection.execute(text(guardians)).all()
    assert before

    upgrade(engine)

    assert schema_differences(engine) == []
    with engine.connect() as connection:
        assert connection.execute(text(guardians)).all() == before
        relations = connection.execute(text("SELECT relation FROM guardians")).scalars().all()
        assert set(relations) == {""}
        with pytest.raises(IntegrityError):
            connection.execute(text("UPDATE guardians SET login_access = 'root'"))
    command.downgrade(alembic_config(engine), "0016")
    with engine.connect() as connection:
        assert connection.execute(text(guardians)).all() == before
    engine.dispose()
