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


class SchemaState(Enum):
    EMPTY = "empty"
    CURRENT = "current"
    OUTDATED = "outdated"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        if not inspect(connection).get_table_names():
            return SchemaState.EMPTY
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaState.CURRENT if current == head_revision(engine) else SchemaState.OUTDATED


def upgrade(engine: Engine) -> None:
    """Bring the schema to head by running the migrations."""
    command.upgrade(alembic_config(engine), "head")


def create_at_head(engine: Engine) -> None:
    """Build an empty database straight at head (faster than replaying migrations)."""
    Base.metadata.create_all(engine)
    command.stamp(alembic_config(engine), "head")
