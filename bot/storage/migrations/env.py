"""How Alembic reaches the hand-off database: through the connection bot/storage/migrate.py hands it
on start (inside its lock), or, for a developer's `alembic` command, the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.handoff.models import Base
from bot.insights import models as _insights_models  # noqa: F401 - its tables join Base


def _migrate(connection: object) -> None:
    # Batch mode: SQLite alters a table by copying it, so one migration works on both backends.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _migrate(given)
else:
    from bot.settings import DATABASE_URL

    with create_engine(DATABASE_URL, future=True).begin() as connection:
        _migrate(connection)
