"""Idle conversations are forgotten whole; active ones are kept."""

from __future__ import annotations

import datetime
from pathlib import Path

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot.rasa.retention import forget_idle_conversations

DAY = 24 * 3600


def test_idle_conversations_are_deleted_and_active_ones_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(url)
    events = SQLTrackerStore.SQLEvent.__table__  # Rasa's own table definition
    events.metadata.create_all(engine, tables=[events])
    now = 10 * DAY
    rows = [("idle", now - 3 * DAY), ("idle", now - 2 * DAY), ("active", now - 3 * DAY), ("active", now - 60)]
    with engine.begin() as connection:
        connection.execute(events.insert(), [{"sender_id": s, "type_name": "user", "timestamp": t} for s, t in rows])

    assert forget_idle_conversations(url, datetime.timedelta(days=1), now=now) == 2

    with engine.connect() as connection:
        left = connection.execute(sa.select(events.c.sender_id)).scalars().all()
    assert left == ["active", "active"]


def test_a_store_without_conversations_yet_is_fine(tmp_path: Path) -> None:
    assert forget_idle_conversations(f"sqlite:///{tmp_path / 'empty.db'}") == 0
