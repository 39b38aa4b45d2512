"""End to end over Rasa's REST channel: real model, real Rasa server, real action server."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.assistant import WEBHOOK, Assistant, answered_item, button_titles, new_sender, text_of


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("vem betalar etableringsersättning", "etableringsersattning"),
        ("jag har ont i ryggen", "smarta"),
        ("vardcentral tid boka", "situation_boka_tid"),
        ("jag sover dåligt på natten", "somn"),
        ("fick ett brev förstår inte", "situation_brev"),
    ],
)
def test_learner_questions_get_the_right_answer(assistant: Assistant, question: str, item: str) -> None:
    messages = assistant.say(question)
    assert answered_item(messages) == item
    buttons = button_titles(messages)
    assert "Prata med en koordinator" in buttons
    assert "Meny" in buttons


def test_answer_names_the_paying_agency(assistant: Assistant) -> None:
    assert "Försäkringskassan" in text_of(assistant.say("vem betalar etableringsersättning"))


def test_greeting_opens_the_main_menu(assistant: Assistant) -> None:
    messages = assistant.say("hej")
    assert button_titles(messages) == [
        "Hälsoskola",
        "Socialförsäkring och jämställdhet",
        "Vem gör vad?",
        "Prata med en koordinator",
        "Språk",
    ]
    assert "Hälsolotsen" in text_of(messages)


def _tap(assistant: Assistant, sender: str, messages: list[dict], title_start: str) -> list[dict]:
    payload = next(b["payload"] for m in messages for b in m.get("buttons", []) if b["title"].startswith(title_start))
    return assistant.say(payload, sender)


def test_browsing_menu_lesson_parts_and_next(assistant: Assistant) -> None:
    sender = new_sender()
    school = _tap(assistant, sender, assistant.say("/menu", sender), "Hälsoskola")
    assert "Sömn" in button_titles(school)
    lesson = _tap(assistant, sender, school, "Sömn")
    assert answered_item(lesson) == "somn"
    first_part = _tap(assistant, sender, lesson, "Varför")
    assert answered_item(first_part) == "somn_varfor"
    assert any(title.startswith("Nästa: ") for title in button_titles(first_part))
    assert answered_item(_tap(assistant, sender, first_part, "Nästa")) == "somn_rad"
    assert answered_item(assistant.say("nästa", sender)) == "somn_hjalp"


@pytest.mark.parametrize(
    ("message", "item"),
    [
        ("min man andas inte", "akut_112"),
        ("hej min pappa andas inte hjälp", "akut_112"),
        ("jag vill inte leva längre", "akut_sjalvmord"),
    ],
)
def test_emergencies_come_first(assistant: Assistant, message: str, item: str) -> None:
    messages = assistant.say(message)
    assert answered_item(messages) == item
    assert "112" in messages[0]["text"]


def test_out_of_scope_gets_an_honest_answer(assistant: Assistant) -> None:
    assert answered_item(assistant.say("vem vann fotbollsmatchen igår")) == "out_of_scope"


def test_gibberish_gets_suggestions_and_a_coordinator(assistant: Assistant) -> None:
    messages = assistant.say("blorf quxxel zzzt")
    assert answered_item(messages) is None
    assert "Prata med en koordinator" in button_titles(messages)


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "😀😀😀",
        "<img src=x onerror=alert(1)><script>alert(1)</script>",
        "x" * 100_000,
        "hej مرحبا ሰላም salaan",
        "\u202e\u0000\u200b",
        '/show{"item": "finns_inte"}',
        "/show{broken json",
    ],
)
def test_odd_input_gets_a_polite_answer_and_the_next_message_works(assistant: Assistant, message: str) -> None:
    sender = new_sender()
    messages = assistant.say(message, sender)
    assert messages and all(m.get("text") or m.get("custom") for m in messages)
    assert answered_item(assistant.say("jag har ont i ryggen", sender)) == "smarta"


def test_cancel_outside_the_hand_off_form_shows_the_menu_and_the_conversation_goes_on(assistant: Assistant) -> None:
    sender = new_sender()
    messages = assistant.say("/cancel", sender)  # an Avbryt button from a form that is over
    assert len(messages) == 1
    assert "Hälsoskola" in button_titles(messages)
    assert answered_item(assistant.say("jag har ont i ryggen", sender)) == "smarta"


def test_buttons_carry_payloads_rasa_understands(assistant: Assistant) -> None:
    messages = assistant.say("/show" + json.dumps({"item": "vem_gor_vad"}))
    assert "Försäkringskassan" in button_titles(messages)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"sender": "x", "message": 42}', "application/json"),
        ('{"message": "hej"}', "application/json"),
        ("[]", "application/json"),
        ("sender=x&message=hej", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_requests_get_a_400_with_a_reason(assistant: Assistant, body: str, content_type: str) -> None:
    response = httpx.post(f"{assistant.url}{WEBHOOK}", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert "sender" in response.json()["error"]
    assert answered_item(assistant.say("jag har ont i ryggen")) == "smarta"


def test_an_answer_is_one_message_with_text_buttons_and_payload(assistant: Assistant) -> None:
    (message,) = assistant.say("jag sover dåligt på natten")
    assert message["custom"].keys() == {"lang", "dir", "item", "audio", "voice"}
    assert (message["custom"]["lang"], message["custom"]["dir"], message["custom"]["item"]) == ("sv", "ltr", "somn")
    assert message["text"].startswith("Sömn\n\n")
    assert message["buttons"]
