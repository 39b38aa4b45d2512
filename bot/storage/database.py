"""The hand-off database: one SQLAlchemy engine per process, SQLite by default, PostgreSQL by URL.

Requests must survive a crash of any process the moment a participant confirms, and several
processes (Rasa, the action server, the web server, the Telegram front end) read and write them,
so they live in a real database, not in memory: on one machine SQLite, set up by
bot/storage/sqlite_engine.py.
Every process creates the tables on its first use, and several may do so at the same moment. On
PostgreSQL (several machines) the first one creates them while the others wait (an advisory
lock); SQLite has no such lock, so a process that loses the race ("table already exists", which
made the first requests after start-up 500s in the hostile-input run) looks again and finds them.
The insights table (bot/insights/models.py) lives here too: the action server writes it and the
web server reads it. Until there are migrations, `add_consent` alters an insights table made
before participants were asked (a column added, the texts kept without a yes emptied).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff.models import Base
from bot.insights import models as _insights_models  # its table joins Base, so create_all makes it
from bot.settings import DATABASE_URL
from bot.storage.sqlite_engine import sqlite_engine

T = TypeVar("T")
# Any fixed number, the same in every process: PostgreSQL's name for "creating the hand-off tables".
SCHEMA_LOCK = 0x4A4C534E
CREATE_ATTEMPTS = 3


@lru_cache(maxsize=4)
def engine(url: str = DATABASE_URL) -> Engine:
    """The engine for `url`, with the tables created on first use (idempotent)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        created = sqlite_engine(url, "PRAGMA foreign_keys=ON")
    else:
        created = create_engine(url, future=True, pool_pre_ping=True)
    _create_tables(created, parsed.get_backend_name())
    return created


def _create_tables(created: Engine, backend: str) -> None:
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            with created.begin() as connection:
                if backend == "postgresql":
                    # Held until this transaction ends; PostgreSQL's DDL is transactional, so a
                    # replica that waited sees the tables the first one made and creates nothing.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
                Base.metadata.create_all(connection)
                _insights_models.add_consent(connection)
            return
        except DBAPIError:  # SQLite: another process made a table after create_all looked
            if attempt == CREATE_ATTEMPTS:
                raise


@lru_cache(maxsize=4)
def _sessions(url: str) -> sessionmaker:
    return sessionmaker(engine(url), future=True, expire_on_commit=False)


@contextmanager
def transaction(url: str = DATABASE_URL) -> Iterator[Session]:
    """A session whose work is committed at the end of the block, or rolled back on an error."""
    with _sessions(url)() as session, session.begin():
        yield session


async def run(work: Callable[..., T], *args: object) -> T:
    """Runs blocking database work in a thread, so an async server keeps answering meanwhile."""
    return await asyncio.to_thread(work, *args)
