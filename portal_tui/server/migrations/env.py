"""Alembic environment: the engine comes from `migrate.alembic_config`, never from a file."""

from __future__ import annotations

from alembic import context

from portal_tui.server.tables import Base
from portal_tui.server.tables.ledger_text import compared

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=compared,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
