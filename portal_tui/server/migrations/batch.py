"""What migrations that rebuild tables share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op


@contextmanager
def sqlite_foreign_keys_off() -> Iterator[None]:
    """On SQLite, turn foreign keys off while tables are rebuilt, as SQLite's own procedure
    for schema changes asks: batch mode drops each old table, and with foreign keys on,
    dropping a table that others reference fails. The rows are then checked; foreign keys
    are on again afterwards, also when the migration fails. PRAGMA foreign_keys has no
    effect inside a transaction, hence the autocommit blocks."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"Rows whose foreign key names no row: {broken[:5]}")
    except BaseException:
        bind.rollback()
        raise
    finally:
        with context.autocommit_block():
            bind.exec_driver_sql("PRAGMA foreign_keys=ON")
