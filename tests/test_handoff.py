"""Hand-off to a coordinator, end to end: the participant over the real REST channel (Rasa server,
action server), the coordinator over the real coordinator API on the project's web server, both
writing to the same real database."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.content import replies
from bot.handoff import audit
from tests.assistant import Assistant, answered_item, button_titles, new_sender, text_of
from tests.coordinator import API, LUND, MALMO, Coordinator, database_url


def web_sender() -> tuple[str, str]:
    """A widget page's own id, and the conversation id the web server gives it in Rasa."""
    page_id = uuid.uuid4().hex
    return page_id, f"web-{page_id}"


def tap(assistant: Assistant, sender: str, messages: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    payload = next(b["payload"] for m in messages for b in m.get("buttons", []) if b["title"] == title)
    return assistant.say(payload, sender)


def fill_form(assistant: Assistant, sender: str, municipality: str = MALMO) -> list[dict[str, Any]]:
    """From "I want to talk to a person" to the summary the participant confirms."""
    consent = assistant.say("jag vill prata med en koordinator", sender)
    assert "Får jag spara dina svar?" in text_of(consent)
    tap(assistant, sender, consent, "Ja")
    interpreter = assistant.say("Amal", sender)
    assert "tolk" in text_of(interpreter)
    where = tap(assistant, sender, interpreter, "Ja")
    assert municipality in button_titles(where)
    when = tap(assistant, sender, where, municipality)
    how = tap(assistant, sender, when, "Förmiddag")
    note = tap(assistant, sender, how, "Här i chatten")
    assert "Vill du skriva något mer" in text_of(note)
    summary = tap(assistant, sender, note, "Nej tack")
    assert "Namn: Amal." in text_of(summary)
    return summary


def book(assistant: Assistant, sender: str, municipality: str = MALMO) -> str:
    sent = tap(assistant, sender, fill_form(assistant, sender, municipality), "Ja")
    return next(m["custom"]["handoff"] for m in sent if "handoff" in m.get("custom", {}))


def requests_of(assistant: Assistant, sender: str) -> list[tuple]:
    with sqlite3.connect(assistant.var_dir / "halsolotsen.db") as db:
        return db.execute("SELECT id, status FROM handoff_requests WHERE sender = ?", (sender,)).fetchall()


def tracker_events(assistant: Assistant, sender: str) -> int:
    with sqlite3.connect(assistant.var_dir.parent / "tracker.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


@pytest.fixture
def malmo(assistant: Assistant, coordinators: dict[str, str]) -> Iterator[Coordinator]:
    coordinator = Coordinator(assistant, coordinators[MALMO])
    assert coordinator.login.status_code == 200
    yield coordinator
    coordinator.http.close()


def inbox(assistant: Assistant, page_id: str) -> list[dict[str, Any]]:
    response = httpx.post(f"{assistant.web_url}/api/chat/inbox", json={"sender": page_id}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_consent_no_stores_nothing_and_offers_other_help(assistant: Assistant, coordinators: dict) -> None:
    sender = new_sender()
    consent = assistant.say("boka hälsosamtal", sender)
    assert "Jag frågar inte om din hälsa." in text_of(consent)
    refused = tap(assistant, sender, consent, "Nej")
    assert "Jag skickar inget till en koordinator." in text_of(refused)
    assert "Ring 112 om det är akut." in text_of(refused)
    assert requests_of(assistant, sender) == []


def test_cancel_in_words_or_by_button_stops_the_form_and_stores_nothing(
    assistant: Assistant, coordinators: dict
) -> None:
    in_words, by_button = new_sender(), new_sender()
    tap(assistant, in_words, assistant.say("/handoff", in_words), "Ja")
    assert "vi slutar här" in text_of(assistant.say("avbryt", in_words))
    name = tap(assistant, by_button, assistant.say("/handoff", by_button), "Ja")
    assert "vi slutar här" in text_of(tap(assistant, by_button, name, "Avbryt"))
    assert requests_of(assistant, in_words) == requests_of(assistant, by_button) == []
    assert answered_item(assistant.say("jag sover dåligt på natten", in_words)) == "somn"


def test_emergency_mid_form_is_answered_and_the_question_asked_again(assistant: Assistant, coordinators: dict) -> None:
    sender = new_sender()
    tap(assistant, sender, assistant.say("/handoff", sender), "Ja")
    urgent = assistant.say("jag vill inte leva", sender)
    assert "Ring 112" in text_of(urgent)
    assert "Vad ska vi kalla dig?" in text_of(urgent)


def test_a_phone_number_is_checked_and_stored_in_international_form(
    assistant: Assistant, coordinators: dict, malmo: Coordinator
) -> None:
    sender = new_sender()
    tap(assistant, sender, assistant.say("/handoff", sender), "Ja")
    assistant.say("Amal", sender)
    assistant.say('/choose{"choice":"yes"}', sender)
    assistant.say(f'/choose{{"choice":"{MALMO}"}}', sender)
    assistant.say('/choose{"choice":"any"}', sender)
    assistant.say('/choose{"choice":"phone"}', sender)
    assert "Jag förstår inte numret." in text_of(assistant.say("123", sender))
    assert "Vill du skriva något mer" in text_of(assistant.say("070-123 45 67", sender))
    summary = assistant.say('/choose{"choice":"none"}', sender)
    assert "+46701234567" in text_of(summary)
    reference = next(m["custom"]["handoff"] for m in tap(assistant, sender, summary, "Ja") if "handoff" in m["custom"])
    detail = malmo.get(f"/requests/{malmo.request_id(reference)}").json()
    assert (detail["contact"], detail["phone"], detail["interpreter"]) == ("phone", "+46701234567", True)


def test_a_participant_books_a_health_talk_with_a_coordinator(
    assistant: Assistant, coordinators: dict, malmo: Coordinator
) -> None:
    page_id, sender = web_sender()
    reference = book(assistant, sender)
    listed = next(r for r in malmo.get("/requests").json() if r["reference"] == reference)
    facts = (listed["status"], listed["language"], listed["interpreter"], listed["times"])
    assert facts == ("new", "sv", True, "morning")
    request_id = listed["id"]
    assert "en förfrågan" in text_of(assistant.say("/handoff", sender)).lower()  # asking twice: no second request

    assert malmo.post(f"/requests/{request_id}/claim", {}).json()["status"] == "claimed"
    malmo.post(f"/requests/{request_id}/messages", {"text": "Hej Amal! Jag heter Sara."})
    [written] = inbox(assistant, page_id)
    assert "Hej Amal! Jag heter Sara." in written["text"]
    assert inbox(assistant, page_id) == []  # delivered once

    assert assistant.say("Tack, förmiddag passar bra", sender) == []  # to the coordinator; the bot is quiet
    said = malmo.get(f"/requests/{request_id}").json()["messages"]
    assert ("participant", "Tack, förmiddag passar bra") in [(m["author"], m["text"]) for m in said]

    start = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    times = [f"{start}T10:00", f"{start}T13:30"]
    malmo.post(f"/requests/{request_id}/proposals", {"times": times})
    [proposed] = inbox(assistant, page_id)
    booked = assistant.say(proposed["buttons"][1]["payload"], sender)
    assert "Ditt hälsosamtal är bokat" in text_of(booked)
    assert "13:30" in text_of(booked)

    detail = malmo.get(f"/requests/{request_id}").json()
    assert detail["status"] == "booked"
    assert detail["booked_at"] == f"{start}T13:30"
    assert [p["accepted"] for p in detail["proposals"]] == [False, True]
    actions = [entry.action for entry in audit.entries(request_id, database_url(assistant))]
    assert {"view", "claim", "message", "propose"} <= set(actions)


def test_the_audit_log_has_actions_but_no_message_contents(assistant: Assistant, malmo: Coordinator) -> None:
    request_id = malmo.request_id(book(assistant, new_sender()))
    malmo.post(f"/requests/{request_id}/claim", {})
    malmo.post(f"/requests/{request_id}/messages", {"text": "Hemligt-ord-i-meddelandet"})
    with sqlite3.connect(assistant.var_dir / "halsolotsen.db") as db:
        rows = db.execute("SELECT * FROM audit_log WHERE request_id = ?", (request_id,)).fetchall()
    assert rows
    assert "Hemligt-ord" not in json.dumps(rows, default=str)
    assert "Amal" not in json.dumps(rows, default=str)


def test_back_to_the_bot_while_a_coordinator_has_the_conversation(assistant: Assistant, malmo: Coordinator) -> None:
    page_id, sender = web_sender()
    request_id = malmo.request_id(book(assistant, sender))
    malmo.post(f"/requests/{request_id}/claim", {})
    malmo.post(f"/requests/{request_id}/messages", {"text": "Hej!"})
    [written] = inbox(assistant, page_id)
    back = tap(assistant, sender, [written], "Tillbaka till Hälsolotsen")
    assert "Nu svarar jag igen." in text_of(back)
    assert answered_item(assistant.say("jag sover dåligt på natten", sender)) == "somn"
    assert "returned_to_bot" in [m["text"] for m in malmo.get(f"/requests/{request_id}").json()["messages"]]


def test_another_areas_request_is_neither_listed_nor_reachable(
    assistant: Assistant, coordinators: dict[str, str], malmo: Coordinator
) -> None:
    request_id = malmo.request_id(book(assistant, new_sender()))
    lund = Coordinator(assistant, coordinators[LUND])
    assert request_id not in [r["id"] for r in lund.get("/requests").json()]
    assert lund.get(f"/requests/{request_id}").status_code == 404
    assert lund.post(f"/requests/{request_id}/claim", {}).status_code == 404
    assert lund.post(f"/requests/{request_id}/messages", {"text": "hej"}).status_code == 404


def test_unauthenticated_and_csrf_less_requests_are_refused(assistant: Assistant, malmo: Coordinator) -> None:
    request_id = malmo.request_id(book(assistant, new_sender()))
    stranger = httpx.Client(base_url=assistant.web_url + API, timeout=30)
    assert stranger.get("/requests").status_code == 401
    assert stranger.get(f"/requests/{request_id}").status_code == 401
    assert stranger.post(f"/requests/{request_id}/claim", json={}).status_code == 401
    assert malmo.http.post(f"/requests/{request_id}/claim", json={}).status_code == 403
    assert malmo.http.post(f"/requests/{request_id}/claim", json={}, headers={"X-CSRF-Token": "fel"}).status_code == 403
    assert malmo.get(f"/requests/{request_id}").json()["status"] == "new"
    form = stranger.post("/login", data={"username": "x", "password": "y"})
    assert form.status_code == 415


def test_delete_my_data_leaves_nothing_of_the_participant(assistant: Assistant, malmo: Coordinator) -> None:
    page_id, sender = web_sender()
    request_id = malmo.request_id(book(assistant, sender))
    malmo.post(f"/requests/{request_id}/claim", {})
    malmo.post(f"/requests/{request_id}/messages", {"text": "Hej!"})
    assert requests_of(assistant, sender) and tracker_events(assistant, sender) > 0
    shown = assistant.say("radera mina uppgifter", sender)
    assert "Förfrågningar till en koordinator: 1." in text_of(shown)
    yes = next(b["payload"] for m in shown for b in m.get("buttons", []) if '"yes"' in b["payload"])
    assistant.say(yes, sender)
    assert requests_of(assistant, sender) == []
    assert tracker_events(assistant, sender) == 0
    assert inbox(assistant, page_id) == []
    assert malmo.get(f"/requests/{request_id}").status_code == 404


def test_only_a_municipality_some_coordinator_serves_is_accepted(assistant: Assistant, coordinators: dict) -> None:
    """A forged button (a phishing line, an overlong name) or an unknown place is asked for again;
    a known one is taken, typed in any case, as the coordinators wrote it."""
    sender = new_sender()
    tap(assistant, sender, assistant.say("jag vill prata med en koordinator", sender), "Ja")
    where = tap(assistant, sender, assistant.say("Amal", sender), "Ja")
    assert {MALMO, LUND} <= set(button_titles(where))
    for forged in ("Logga in igen: https://evil.example/login", LUND + " " + "x" * 100, "Atlantis"):
        again = assistant.say(replies.choice_payload(forged), sender)
        assert {MALMO, LUND} <= set(button_titles(again)), forged
    when = assistant.say("  lund ", sender)
    assert "Förmiddag" in button_titles(when)
    summary = tap(
        assistant,
        sender,
        tap(assistant, sender, tap(assistant, sender, when, "Förmiddag"), "Här i chatten"),
        "Nej tack",
    )
    tap(assistant, sender, summary, "Ja")
    with sqlite3.connect(assistant.var_dir / "halsolotsen.db") as db:
        stored = db.execute("SELECT municipality FROM handoff_requests WHERE sender = ?", (sender,)).fetchall()
    assert stored == [(LUND,)]
