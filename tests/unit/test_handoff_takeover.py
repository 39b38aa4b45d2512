"""Taking over a conversation, in the hand-off database on its own (a real SQLite file): a
coordinator's first message makes the conversation theirs (live), only the one who claimed a
request may write or change it, booked keeps it live, closing gives it back to the bot, and a
participant going back to the bot leaves their coordinator a note. Fast and in-process, so the
mutation benchmark (bench/mutation.py) runs these against every mutant of bot/handoff/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.accounts import store as accounts
from bot.handoff import coordination, participants
from tests.unit.test_handoff_store import form

PASSWORD = "ett-långt-lösenord"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'handoff.db'}"


def request_of(sender: str, url: str) -> int:
    return int(participants.save(form(sender), url)[2:])


def test_the_first_message_makes_the_conversation_the_coordinators(url: str) -> None:
    sara = accounts.create("sara", PASSWORD, "coordinator", ["Malmö"], url)
    request_id = request_of("p1", url)
    assert participants.live_request("p1", url) is None
    claimed = coordination.claim(sara, request_id, url)
    assert (claimed["status"], claimed["live"]) == ("claimed", False)
    assert coordination.detail(sara, request_id, url)["claimed_by"] == "sara"
    assert participants.live_request("p1", url) is None
    written = coordination.write(sara, request_id, "  Hej Amal!  ", url)
    assert written["live"] is True
    assert [(m["author"], m["text"]) for m in written["messages"]] == [("coordinator", "Hej Amal!")]
    assert participants.live_request("p1", url) == request_id
    assert participants.live_request("p2", url) is None


def test_only_the_coordinator_who_claimed_may_write_or_change_the_request(url: str) -> None:
    sara = accounts.create("sara", PASSWORD, "coordinator", ["Malmö"], url)
    omar = accounts.create("omar", PASSWORD, "coordinator", ["Malmö"], url)
    request_id = request_of("p1", url)
    with pytest.raises(coordination.RefusedError, match=r"^Ta förfrågan först.$"):
        coordination.write(sara, request_id, "Hej", url)
    coordination.claim(sara, request_id, url)
    assert coordination.claim(sara, request_id, url)["status"] == "claimed"  # claiming again is fine
    with pytest.raises(coordination.RefusedError, match=r"^Någon annan har redan tagit förfrågan.$"):
        coordination.claim(omar, request_id, url)
    for change in (
        lambda: coordination.write(omar, request_id, "Hej", url),
        lambda: coordination.set_status(omar, request_id, "closed", url),
    ):
        with pytest.raises(coordination.RefusedError, match=r"^Ta förfrågan först.$"):
            change()
    assert participants.live_request("p1", url) is None


def test_a_message_must_have_words_and_fit(url: str) -> None:
    sara = accounts.create("sara", PASSWORD, "coordinator", ["*"], url)
    request_id = request_of("p1", url)
    coordination.claim(sara, request_id, url)
    for text in ("   ", "x" * (coordination.MAX_MESSAGE_CHARS + 1)):
        with pytest.raises(coordination.RefusedError):
            coordination.write(sara, request_id, text, url)
    assert coordination.write(sara, request_id, "x" * coordination.MAX_MESSAGE_CHARS, url)["live"] is True


def test_booked_keeps_the_conversation_and_closed_gives_it_back_to_the_bot(url: str) -> None:
    sara = accounts.create("sara", PASSWORD, "coordinator", ["Malmö"], url)
    request_id = request_of("p1", url)
    coordination.claim(sara, request_id, url)
    coordination.write(sara, request_id, "Hej!", url)
    with pytest.raises(coordination.RefusedError):
        coordination.set_status(sara, request_id, "new", url)
    booked = coordination.set_status(sara, request_id, "booked", url)
    assert (booked["status"], booked["live"]) == ("booked", True)
    assert participants.live_request("p1", url) == request_id
    assert participants.open_reference("p1", url) is None  # booked is no longer open
    closed = coordination.set_status(sara, request_id, "closed", url)
    assert (closed["status"], closed["live"]) == ("closed", False)
    assert participants.live_request("p1", url) is None
    with pytest.raises(coordination.RefusedError, match=r"^Förfrågan är avslutad.$"):
        coordination.write(sara, request_id, "Hej igen", url)


def test_going_back_to_the_bot_leaves_the_coordinator_a_note(url: str) -> None:
    sara = accounts.create("sara", PASSWORD, "coordinator", ["Malmö"], url)
    request_id = request_of("p1", url)
    assert participants.return_to_bot("p1", url) is False
    coordination.claim(sara, request_id, url)
    coordination.write(sara, request_id, "Hej!", url)
    assert participants.return_to_bot("p1", url) is True
    assert participants.live_request("p1", url) is None
    messages = coordination.detail(sara, request_id, url)["messages"]
    assert [(m["author"], m["text"]) for m in messages][-1] == ("system", participants.RETURNED_TO_BOT)


def test_another_municipality_can_neither_see_nor_change_a_request(url: str) -> None:
    lars = accounts.create("lars", PASSWORD, "coordinator", ["Lund"], url)
    anywhere = accounts.create("kim", PASSWORD, "coordinator", ["*"], url)
    request_id = request_of("p1", url)
    for change in (
        lambda: coordination.claim(lars, request_id, url),
        lambda: coordination.write(lars, request_id, "Hej", url),
        lambda: coordination.set_status(lars, request_id, "closed", url),
        lambda: coordination.detail(lars, 999, url),
    ):
        with pytest.raises(coordination.NotFoundError):
            change()
    assert [r["id"] for r in coordination.listing(anywhere, url)] == [request_id]
