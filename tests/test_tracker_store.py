"""The tuned SQLite tracker store (bot/rasa/tracker_store.py) against Rasa's own SQL tracker store.

It must be interchangeable with Rasa's store on the same file: the retention job, the "delete my
data" endpoint and any later move back to `type: SQL` read and write the same rows.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_store import SQLiteTrackerStore
from bot.settings import PROJECT_ROOT
from tests.assistant import Assistant, new_sender


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def _session(tracker: DialogueStateTracker, text: str, at: float) -> None:
    """One conversation session: start, a message, an answer, a slot."""
    tracker.update(ActionExecuted("action_session_start", timestamp=at))
    tracker.update(SessionStarted(timestamp=at))
    tracker.update(ActionExecuted("action_listen", timestamp=at))
    parse = {"intent": {"name": "greet", "confidence": 0.9}, "entities": [], "text": text}
    tracker.update(UserUttered(text, parse["intent"], parse_data=parse, timestamp=at + 1))
    tracker.update(ActionExecuted("utter_greet", timestamp=at + 2))
    tracker.update(BotUttered("Hej!", {"buttons": [{"title": "Mer", "payload": "/more"}]}, timestamp=at + 2))
    tracker.update(SlotSet("language", "ar", timestamp=at + 3))


def _dump(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


def test_it_reads_and_writes_the_same_rows_as_rasas_own_store(tmp_path: Path, domain: Domain) -> None:
    db = str(tmp_path / "tracker.db")
    ours, rasas = SQLiteTrackerStore(domain, db=db), SQLTrackerStore(domain, dialect="sqlite", db=db)

    async def scenario() -> None:
        first = DialogueStateTracker("amina", domain.slots)
        _session(first, "hej", at=1000.0)
        await ours.save(first)
        assert _dump(await rasas.retrieve("amina")) == _dump(first)
        second = await ours.retrieve("amina")
        _session(second, "marhaba", at=2000.0)  # a new session: from now on, it is "the conversation"
        await rasas.save(second)
        latest = await ours.retrieve("amina")
        assert _dump(latest) == _dump(await rasas.retrieve("amina"))
        assert [e["event"] for e in _dump(latest)][:2] == ["action", "session_started"] and len(latest.events) == 7
        latest.update(UserUttered("tack", timestamp=2004.0))
        await ours.save(latest)
        await ours.save(latest)  # nothing new: writes nothing twice
        assert _dump(await rasas.retrieve("amina")) == _dump(latest)
        full = await ours.retrieve_full_tracker("amina")
        assert _dump(full) == [*_dump(second), _dump(latest)[-1]]
        assert latest.get_slot("language") == "ar"
        assert await ours.retrieve("nobody") is None

    asyncio.run(scenario())
    rows = sqlite3.connect(db).execute("SELECT count(*), count(DISTINCT data) FROM events").fetchone()
    assert rows == (15, 15)


def test_it_keeps_the_database_in_write_ahead_log_mode(tmp_path: Path, domain: Domain) -> None:
    db = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(domain, db=str(db))
    asyncio.run(store.save(DialogueStateTracker("amina", domain.slots)))
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_running_assistant_stores_conversations_in_its_file(assistant: Assistant) -> None:
    """Rasa quietly falls back to keeping conversations in memory if it cannot load a custom
    store, so the proof is in the file the assistant was given."""
    sender = new_sender()
    assert assistant.say("hej", sender)
    db = assistant.var_dir.parent / "tracker.db"
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert stored > 0 and mode == "wal"
