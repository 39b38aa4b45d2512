"""What Rasa stores about one participant, and deleting it: the "see and delete my data" right.

Rasa keeps a conversation as events in its tracker store. A participant sees a summary (how many
messages, since when, which language), never a dump; deletion removes every event of the
conversation. Rasa's tracker stores have no delete operation, so this deletes the rows of its SQL
tracker store (SQLite here, PostgreSQL in production) with that store's own table and session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.events import UserUttered

LANGUAGE_SLOT = "language"


@dataclass(frozen=True)
class Summary:
    stored: bool
    messages: int = 0
    first: float | None = None
    last: float | None = None
    language: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


async def summary(agent: Agent, sender: str) -> Summary:
    tracker = await agent.tracker_store.retrieve_full_tracker(sender)
    if tracker is None or not tracker.events:
        return Summary(stored=False)
    said = [event for event in tracker.events if isinstance(event, UserUttered)]
    return Summary(
        stored=True,
        messages=len(said),
        first=tracker.events[0].timestamp,
        last=tracker.events[-1].timestamp,
        language=tracker.get_slot(LANGUAGE_SLOT),
    )


def _sql_store(store: TrackerStore) -> SQLTrackerStore | None:
    """Rasa wraps the configured store (fail-safe, awaitable); the SQL store is the innermost one."""
    while not isinstance(store, SQLTrackerStore):
        store = getattr(store, "_tracker_store", None)
        if store is None:
            return None
    return store


async def delete(agent: Agent, sender: str) -> int:
    """Deletes the whole conversation; returns how many events were deleted.

    Holds the conversation's lock, so a message being answered at the same moment cannot write
    its events back after the deletion.
    """
    store = _sql_store(agent.tracker_store)
    if store is None:
        raise NotImplementedError("Deleting a conversation needs Rasa's SQL tracker store.")
    async with agent.lock_store.lock(sender):
        with store.session_scope() as session:
            deleted = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).delete()
            session.commit()
    return deleted
