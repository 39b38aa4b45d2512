"""The hand-off database's schema: migrations on start, an old database adopted, one process at a time.

Every table change is an Alembic migration (bot/storage/migrations/versions/); these tests hold the
promises in docs/development.md, "Changing the database schema".
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bot.handoff.models import Base
from bot.storage import database, migrate

REQUEST = (
    "INSERT INTO handoff_requests (id, sender, channel, name, language, interpreter, municipality, times,"
    " contact, status, live, notified, created_at, updated_at) VALUES (1, 's', 'rest', 'Sara', 'ar', 1,"
    " 'Malmö', 'mornings', 'chat', 'new', 0, 0, '2026-12-01 10:00', '2026-12-01 10:00')"
)
MESSAGE = (
    "INSERT INTO handoff_messages (request_id, author, text, created_at) VALUES (1, 'participant', 'Hej', '2026-12-01')"
)


def _rows(path: Path) -> tuple[list, list]:
    with sqlite3.connect(path) as connection:
        return (
            connection.execute("SELECT id, name FROM handoff_requests").fetchall(),
            connection.execute("SELECT request_id, text FROM handoff_messages").fetchall(),
        )


def _revision(url: str) -> str | None:
    with create_engine(url).connect() as connection:
        return migrate.current(connection)


def test_the_migrations_make_exactly_the_tables_the_models_describe(tmp_path: Path) -> None:
    """A model changed without a migration fails here: the database would not get the change."""
    engine = database.engine(f"sqlite:///{tmp_path / 'new.db'}")
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_there_is_one_newest_migration() -> None:
    """Two migrations written in parallel on the same parent: upgrade to "head" would not know which."""
    assert migrate.head()


def test_a_database_made_before_migrations_is_adopted_with_its_rows(tmp_path: Path) -> None:
    """Made by `create_all`, as every database was before Alembic: stamped, not recreated."""
    path = tmp_path / "old.db"
    old = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(old)
    with old.begin() as connection:
        connection.execute(text(REQUEST))
        connection.execute(text(MESSAGE))
    old.dispose()
    database.engine(f"sqlite:///{path}")
    assert _revision(f"sqlite:///{path}") == migrate.head()
    assert _rows(path) == ([(1, "Sara")], [(1, "Hej")])


def test_a_database_at_the_baseline_migrates_to_the_newest_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'baseline.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(REQUEST))
        connection.execute(text(MESSAGE))
    assert _revision(url) == "0001"
    migrate.upgrade(engine)
    assert _revision(url) == migrate.head()
    assert _rows(tmp_path / "baseline.db") == ([(1, "Sara")], [(1, "Hej")])


NEW_COLUMN = '''"""A column added to the requests, the table copied as SQLite does for most changes (a type, a
constraint): what the next real migration will look like."""

import sqlalchemy as sa
from alembic import op

revision = "test_new_column"
down_revision = {parent!r}


def upgrade() -> None:
    with op.batch_alter_table("handoff_requests", recreate="always") as batch:
        batch.add_column(sa.Column("preferred_time", sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_requests") as batch:
        batch.drop_column("preferred_time")
'''


def test_a_new_migration_is_one_file_and_keeps_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite a changed table is copied and the old one dropped; with foreign keys on, that drop
    would delete the request's messages by ON DELETE CASCADE."""
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    parent = migrate.head()
    (migrations / "versions" / "test_new_column.py").write_text(NEW_COLUMN.format(parent=parent), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'halsolotsen.db'}"
    engine = database.engine.__wrapped__(url)  # at today's newest revision, foreign keys on
    with engine.begin() as connection:
        connection.execute(text(REQUEST))
        connection.execute(text(MESSAGE))
    monkeypatch.setattr(migrate, "MIGRATIONS", migrations)
    database.engine.__wrapped__(url)  # as the next start after an upgrade
    assert _revision(url) == "test_new_column"
    columns = inspect(create_engine(url)).get_columns("handoff_requests")
    assert "preferred_time" in {column["name"] for column in columns}
    assert _rows(tmp_path / "halsolotsen.db") == ([(1, "Sara")], [(1, "Hej")])


def test_processes_starting_together_migrate_once(tmp_path: Path) -> None:
    """Found by the hostile-input run before migrations: the first requests after start-up, at the
    same moment, were 500s ("table coordinators already exists")."""
    url = f"sqlite:///{tmp_path / 'halsolotsen.db'}"
    failures: list[BaseException] = []

    def start() -> None:
        try:
            database.engine.__wrapped__(url)  # not the cache: each thread as its own process
        except BaseException as failure:  # reported by the assertion below
            failures.append(failure)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _revision(url) == migrate.head()
