"""Rasa's SQL tracker store on SQLite, made cheap enough for one machine (`endpoints.yml`).

Rasa loads a conversation for every message and stores it twice (when the message arrives and
after the answer), synchronously on its only event loop, so each of these blocks every other
conversation. Under load (BENCHMARKS.md, "Profile") they were the Rasa server's largest cost:
SQLite's default rollback journal syncs to disk several times per commit, SQLAlchemy 1.4 opens a
new connection for every session, builds each ORM query and its cache key anew, and Rasa looks
up each stored event's class by walking all its event classes.

This store keeps Rasa's table, rows and meaning (`SQLTrackerStore`: the same `events` table,
"the events since the last session start", the same JSON per event), so `bot.rasa.retention`, the
conversation endpoints and Rasa's own store read and write the same file. What changes:
- SQLite runs with write-ahead logging and `synchronous=NORMAL`, its own recommendation for
  this: a commit appends to the log, readers never wait for the writer, and a crash of any
  process loses nothing; only a power cut can lose the last turns, never corrupt the file.
- Kept connections instead of one per save (bot/storage/sqlite_engine.py, as for the hand-off database).
- The two per-message queries are fixed SQL statements instead of ORM queries.
- Event classes are looked up in a table made once.
PostgreSQL (several machines) uses Rasa's `type: SQL` unchanged (deploy/endpoints.yml).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from bot.storage.sqlite_engine import sqlite_engine

# Rasa's `_event_query` in SQL: the events since the latest session start, or all if none.
_SINCE_SESSION_START = """
    FROM events
    WHERE sender_id = :sender AND (
        (SELECT max(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started) IS NULL
        OR timestamp >= (SELECT max(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started)
    )
"""
SESSION_EVENTS = sa.text(f"SELECT data {_SINCE_SESSION_START} ORDER BY id")
SESSION_EVENT_COUNT = sa.text(f"SELECT count(*) {_SINCE_SESSION_START}")


@cache
def _event_classes() -> dict[str, type[Event]]:
    return {cls.type_name: cls for cls in reversed(all_subclasses(Event))}


def _deserialise(serialised: list[dict[str, Any]]) -> list[Event]:
    """Rasa's `deserialise_events`, with the class lookup from a table (unknown names: Rasa's way)."""
    events = []
    for parameters in serialised:
        cls = _event_classes().get(parameters.get("event"))
        event = cls._from_parameters(parameters) if cls else Event.from_parameters(parameters)
        if event:
            events.append(event)
    return events


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The `events` row Rasa's `SQLTrackerStore.save` writes for `event`."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class SQLiteTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` on an SQLite file: write-ahead log, kept connection, fixed SQL."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's url, which a file database has none of
        super().__init__(domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sqlite_engine(url, "PRAGMA synchronous=NORMAL")
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _parameters(self, sender_id: str) -> dict[str, str]:
        return {"sender": sender_id, "started": SessionStarted.type_name}

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:
            rows = connection.execute(SESSION_EVENTS, self._parameters(sender_id)).scalars().all()
        if not (self.domain and rows):
            return None
        events = _deserialise([json.loads(row) for row in rows])
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(SESSION_EVENT_COUNT, self._parameters(tracker.sender_id)).scalar_one()
            rows = [_row(tracker.sender_id, event) for event in list(tracker.events)[stored:]]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)
