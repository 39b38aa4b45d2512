"""Forgets conversations nobody has continued for a while: store the minimum, for the shortest time.

Rasa keeps every conversation in its tracker store so that a dialogue can go on. A conversation
idle for longer than the retention period is deleted whole. This works on Rasa's SQL tracker
store (SQLite here, PostgreSQL in production) through its own `events` table.
"""

from __future__ import annotations

import datetime
import time

import sqlalchemy as sa

from bot.settings import CONVERSATION_RETENTION_HOURS

RETENTION = datetime.timedelta(hours=CONVERSATION_RETENTION_HOURS)

_events = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("timestamp", sa.Float),
)


def forget_idle_conversations(db_url: str, older_than: datetime.timedelta = RETENTION, now: float | None = None) -> int:
    """Deletes every conversation whose last event is older than `older_than`; returns events deleted."""
    engine = sa.create_engine(db_url)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        cutoff = (time.time() if now is None else now) - older_than.total_seconds()
        idle = (
            sa.select(_events.c.sender_id)
            .group_by(_events.c.sender_id)
            .having(sa.func.max(_events.c.timestamp) < cutoff)
        )
        with engine.begin() as connection:
            return connection.execute(sa.delete(_events).where(_events.c.sender_id.in_(idle))).rowcount
    finally:
        engine.dispose()
