"""The migrations build exactly the tables' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from portal_tui.server.db import make_engine
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


def schema_differences(engine: Engine) -> list[Any]:
    """What autogenerate would add to make the database match the tables' metadata."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def table_names(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_an_empty_database_is_empty(engine: Engine) -> None:
    assert schema_state(engine) is SchemaState.EMPTY
    assert current_revision(engine) is None


def test_the_migrations_build_exactly_the_tables_schema(engine: Engine) -> None:
    upgrade(engine)

    assert schema_differences(engine) == []
    assert table_names(engine) == set(Base.metadata.tables) | {VERSION_TABLE}
    assert current_revision(engine) == head_revision(engine)
    assert schema_state(engine) is SchemaState.CURRENT


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
