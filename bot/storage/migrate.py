"""Brings the hand-off database to the newest schema on start, with Alembic.

`create_all` makes missing tables but never changes an existing one, so every change to a table is
a migration in bot/storage/migrations/versions/ (docs/development.md, "Changing the database
schema"), run by whichever process opens the database first. Several processes start together, so
one migrates while the others wait: PostgreSQL's advisory lock on several machines, a lock file
beside the SQLite file on one. A database made before migrations is adopted by the baseline
(0001_baseline.py), which keeps its tables and rows.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from bot.storage.sqlite_engine import sqlite_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
logger = logging.getLogger(__name__)
# Alembic notes its plugins and SQLite's DDL mode at INFO in every process's start-up log; its
# warnings are what an operator needs, and `upgrade` says itself when it changed the schema.
logging.getLogger("alembic").setLevel(logging.WARNING)
# Any fixed number, the same in every process: PostgreSQL's name for "migrating the hand-off tables".
SCHEMA_LOCK = 0x4A4C534E


def config() -> Config:
    """Alembic's configuration without an alembic.ini: the assistant needs no file to start."""
    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    return settings


def head() -> str:
    """The newest revision; one only, so two migrations written in parallel cannot both be it."""
    heads = ScriptDirectory.from_config(config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"Migrations have {len(heads)} heads {heads}: give one the other as down_revision.")
    return heads[0]


def current(connection: Connection) -> str | None:
    """The revision the database is at; None before its first migration."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrates the database to `revision`; a process that finds another one migrating waits for
    it, then finds nothing left to do.

    On SQLite on a connection of its own without foreign keys: a migration that changes a table
    copies it and drops the old one, and with foreign keys on that drop would delete every row
    that refers to it (a request's messages) by ON DELETE CASCADE."""
    if engine.dialect.name == "sqlite":
        engine = sqlite_engine(engine.url)
    try:
        _upgrade(engine, revision)
    finally:
        if engine.dialect.name == "sqlite":
            engine.dispose()


def _upgrade(engine: Engine, revision: str) -> None:
    with _only_one_process(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Held until this transaction ends; PostgreSQL's DDL is transactional, so a replica
            # that waited finds the database migrated and does nothing.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        before = current(connection)
        if revision == "head" and before == head():
            return
        settings = config()
        settings.attributes["connection"] = connection
        command.upgrade(settings, revision)
        logger.info("Database schema migrated from %s to %s.", before or "nothing", current(connection))


@contextmanager
def _only_one_process(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory lock, and its DDL commits at once: a lock file beside the database
    keeps a second process from creating the same table a moment later."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrating", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
