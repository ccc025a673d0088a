"""Alembic, configured from code (no alembic.ini ships): upgrade, stamp, and schema checks."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from portal_tui.server.tables import Base

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


class SchemaState(Enum):
    EMPTY = "empty"
    """No tables at all: `create_at_head` (or `upgrade`) builds the schema."""
    CURRENT = "current"
    """At this server's head revision."""
    OUTDATED = "outdated"
    """At an older revision of this server's migrations: `upgrade` brings it to head."""
    UNKNOWN = "unknown"
    """At a revision these migrations do not have (a newer server's), or tables without
    any revision (another application's): neither served nor migrated."""


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None when it has none)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if not tables:
            return SchemaState.EMPTY
        current = MigrationContext.configure(connection).get_current_revision()
    script = ScriptDirectory.from_config(alembic_config(engine))
    if current == script.get_current_head():
        return SchemaState.CURRENT
    if current is None:
        # Only an empty version table: the database is at base, before the first migration.
        return SchemaState.OUTDATED if tables == {VERSION_TABLE} else SchemaState.UNKNOWN
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaState.OUTDATED if current in known else SchemaState.UNKNOWN


def upgrade(engine: Engine) -> None:
    """Bring the schema to head by running the migrations."""
    command.upgrade(alembic_config(engine), "head")


def create_at_head(engine: Engine) -> None:
    """Build an empty database straight at head (faster than replaying migrations)."""
    Base.metadata.create_all(engine)
    command.stamp(alembic_config(engine), "head")
