"""SQLite engines for our two databases on one machine: conversations (bot/rasa/tracker_store.py) and
hand-off requests (bot/storage/database.py), set up the same way.

Several processes use each file (Rasa, the action server, the web server, the retention job), so
SQLite runs in write-ahead-log mode, where readers never wait for the writer, with a busy timeout
so that two writers wait for each other instead of failing. SQLAlchemy 1.4 opens a new SQLite
connection for every transaction (NullPool), and with the pragmas that was a third of the Rasa
server's time under load (BENCHMARKS.md, "What the profile found"); a pool, SQLAlchemy 2.0's
default, keeps the connections and hands each to one thread at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import QueuePool

BUSY_MS = 10_000


def sqlite_engine(url: str | URL, *pragmas: str) -> Engine:
    """An engine on an SQLite file in WAL mode with a busy timeout and kept connections; `pragmas`
    are run on each new connection after those."""
    created = create_engine(
        url,
        future=True,
        poolclass=QueuePool,
        connect_args={"timeout": BUSY_MS / 1000, "check_same_thread": False},
    )
    every = ("PRAGMA journal_mode=WAL", f"PRAGMA busy_timeout={BUSY_MS}", *pragmas)

    def _on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in every:
            cursor.execute(pragma)
        cursor.close()

    event.listen(created, "connect", _on_connect)
    return created
