"""Promises around a coordinator's conversation that no other test held (issue 21): an emergency
is answered while a coordinator has the conversation (M2); Telegram's /radera deletes the hand-off
request (M4); marking a request booked and closing it hands the conversation back to the bot;
logging out ends the session. End to end: the real REST channel, Rasa and action servers, the
real coordinator API, one real database."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator

import httpx
import pytest

from bot import keys
from bot.assistant_client import AssistantClient
from bot.handoff import participants
from bot.telegram.conversation_id import conversation_id
from tests.assistant import Assistant, answered_item
from tests.coordinator import API, MALMO, Coordinator, database_url
from tests.test_handoff import book, requests_of, web_sender


@pytest.fixture
def malmo(assistant: Assistant, coordinators: dict[str, str]) -> Iterator[Coordinator]:
    coordinator = Coordinator(assistant, coordinators[MALMO])
    assert coordinator.login.status_code == 200
    yield coordinator
    coordinator.http.close()


def live_conversation(assistant: Assistant, malmo: Coordinator, sender: str) -> int:
    """A booked hand-off that the coordinator has claimed and written in: the bot is quiet now."""
    request_id = malmo.request_id(book(assistant, sender))
    assert malmo.post(f"/requests/{request_id}/claim", {}).status_code == 200
    assert malmo.post(f"/requests/{request_id}/messages", {"text": "Hej! Jag heter Sara."}).status_code == 200
    assert assistant.say("Tack, jag väntar", sender) == []
    return request_id


def participant_said(malmo: Coordinator, request_id: int) -> list[str]:
    messages = malmo.get(f"/requests/{request_id}").json()["messages"]
    return [m["text"] for m in messages if m["author"] == "participant"]


def test_an_emergency_is_answered_while_a_coordinator_has_the_conversation(
    assistant: Assistant, malmo: Coordinator
) -> None:
    _, sender = web_sender()
    request_id = live_conversation(assistant, malmo, sender)
    urgent = assistant.say("min man andas inte", sender)
    assert urgent, "the bot stayed silent to an emergency"
    assert answered_item(urgent) == "akut_112"
    assert "112" in urgent[0]["text"]
    assert "min man andas inte" in participant_said(malmo, request_id)  # the coordinator sees it too
    assert assistant.say("Okej, tack", sender) == []  # and the coordinator still has the conversation


def _channel_client(assistant: Assistant) -> AssistantClient:
    """The Telegram front end's own client, with the channel token this assistant made."""
    token = keys.shared_secret(keys.CHANNEL_TOKEN, assistant.var_dir / "keys")
    return AssistantClient(assistant.url, token=token)


async def _radera(assistant: Assistant, sender: str) -> tuple[dict, dict]:
    """What /radera does: show what is stored, then (on "Ja") delete it; and what is stored after."""
    client = _channel_client(assistant)
    try:
        shown = await client.stored(sender)
        await client.forget(sender)
        return shown, await client.stored(sender)
    finally:
        await client.close()


def test_telegram_radera_deletes_the_hand_off_request(assistant: Assistant, malmo: Coordinator) -> None:
    # A Telegram conversation id as the front end makes it (Rasa does not know the key; any will do).
    sender = conversation_id(uuid.uuid4().int % 10**9, "test-sender-key")
    request_id = malmo.request_id(book(assistant, sender))
    url = database_url(assistant)
    participants.set_reply_address(sender, "4711", url)  # as the front end does after the request
    assert malmo.post(f"/requests/{request_id}/claim", {}).status_code == 200
    assert malmo.post(f"/requests/{request_id}/messages", {"text": "Hej!"}).status_code == 200
    with sqlite3.connect(assistant.var_dir / "halsolotsen.db") as db:
        row = "SELECT name, municipality, channel FROM handoff_requests WHERE sender = ?"
        assert db.execute(row, (sender,)).fetchall() == [("Amal", MALMO, "telegram")]

    shown, after = asyncio.run(_radera(assistant, sender))

    assert shown["handoff_requests"] == 1
    assert after["handoff_requests"] == 0
    assert requests_of(assistant, sender) == []
    with sqlite3.connect(assistant.var_dir / "halsolotsen.db") as db:
        assert db.execute(row, (sender,)).fetchall() == []
        left = db.execute("SELECT count(*) FROM handoff_messages WHERE request_id = ?", (request_id,)).fetchone()
        assert left == (0,)
    assert malmo.get(f"/requests/{request_id}").status_code == 404


def test_booked_then_closed_gives_the_conversation_back_to_the_bot(assistant: Assistant, malmo: Coordinator) -> None:
    _, sender = web_sender()
    request_id = live_conversation(assistant, malmo, sender)
    assert malmo.post(f"/requests/{request_id}/status", {"status": "new"}).status_code == 409

    booked = malmo.post(f"/requests/{request_id}/status", {"status": "booked"}).json()
    assert (booked["status"], booked["live"]) == ("booked", True)
    assert assistant.say("Bra, vi ses då", sender) == []  # booked: the coordinator still has it
    assert "Bra, vi ses då" in participant_said(malmo, request_id)

    closed = malmo.post(f"/requests/{request_id}/status", {"status": "closed"}).json()
    assert (closed["status"], closed["live"]) == ("closed", False)
    assert answered_item(assistant.say("jag sover dåligt på natten", sender)) == "somn"
    assert "jag sover dåligt på natten" not in participant_said(malmo, request_id)
    refused = malmo.post(f"/requests/{request_id}/messages", {"text": "Hej igen"})
    assert refused.status_code == 409
    assert "Förfrågan är avslutad." in refused.json()["message"]


def test_logout_ends_the_session_also_for_a_copied_cookie(assistant: Assistant, malmo: Coordinator) -> None:
    cookie = malmo.http.cookies["hl_session"]
    assert malmo.get("/me").status_code == 200
    assert malmo.post("/logout", {}).status_code == 200
    assert malmo.get("/requests").status_code == 401
    with httpx.Client(base_url=assistant.web_url + API, timeout=30) as copy:
        copy.cookies.set("hl_session", cookie, path="/koordinator")
        assert copy.get("/me").status_code == 401
        assert copy.get("/requests").status_code == 401
        claim = copy.post("/requests/1/claim", json={}, headers={"X-CSRF-Token": malmo.csrf})
        assert claim.status_code == 401


def test_logout_needs_the_pages_csrf_token(assistant: Assistant, malmo: Coordinator) -> None:
    assert malmo.http.post("/logout", json={}).status_code == 403
    assert malmo.get("/me").status_code == 200
