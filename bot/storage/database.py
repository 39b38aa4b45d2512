"""The hand-off database: one SQLAlchemy engine per process, SQLite by default, PostgreSQL by URL.

Requests must survive a crash of any process the moment a participant confirms, and several
processes (Rasa, the action server, the web server, the Telegram front end) read and write them,
so they live in a real database, not in memory: on one machine SQLite, set up by
bot/storage/sqlite_engine.py.
The first process to open it brings it to the newest schema (bot/storage/migrate.py, Alembic);
the others wait for that. The insights tables (bot/insights/models.py) live here too: the action
server writes them and the web server reads them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import DATABASE_URL
from bot.storage import migrate
from bot.storage.sqlite_engine import sqlite_engine

T = TypeVar("T")


@lru_cache(maxsize=4)
def engine(url: str = DATABASE_URL) -> Engine:
    """The engine for `url`, its database migrated to the newest schema on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        created = sqlite_engine(url, "PRAGMA foreign_keys=ON")
    else:
        created = create_engine(url, future=True, pool_pre_ping=True)
    migrate.upgrade(created)
    return created


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
