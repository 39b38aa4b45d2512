"""The emergency and hand-off promises at unit level, in-process and fast (the mutation benchmark,
bench/mutation.py, runs these against every mutant of the lines that hold the promises). The same
promises are tested end to end in tests/test_emergency_triggers.py and test_handoff_promises.py.

- actions/base.py: an emergency trigger is answered first, whatever intent the classifier chose.
- bot/rasa/channel.py: while a coordinator has the conversation, an emergency is still answered.
- actions/handoff.py: consent "no" ends the form before anything is asked or stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionShow
from actions.base import content_store
from actions.handoff import ENDED, NO, YES, ValidateHandoffForm
from bot.content import replies, ui_text
from bot.languages import LANGUAGES
from bot.rasa import channel
from bot.settings import MAX_MESSAGE_CHARS

SLOTS = ["handoff_consent", "handoff_name", "handoff_phone", "handoff_contact"]


def tracker(text: str | None, intent: str, slots: dict[str, Any] | None = None, choice: str | None = None) -> Tracker:
    entities = [{"entity": "choice", "value": choice}] if choice else []
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities}
    return Tracker("unit", slots or {}, message, [], False, None, None, None)


def answer(text: str | None, intent: str, slots: dict[str, Any] | None = None) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionShow().run(dispatcher, tracker(text, intent, slots), {}))
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("hur bokar jag tid på vårdcentralen, jag orkar inte leva", "akut_sjalvmord"),
        ("min man andas inte", "akut_112"),
        ("ما عم يتنفس ساعدني", "akut_112"),
    ],
)
def test_an_emergency_trigger_wins_over_the_classifiers_topic(text: str, item: str) -> None:
    messages, events = answer(text, "ask_situation_boka_tid")
    assert messages[0]["custom"]["item"] == item
    assert "112" in messages[0]["text"]
    assert {"event": "slot", "name": "last_item", "value": item} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_an_emergency_longer_than_the_message_limit_is_still_answered_first() -> None:
    messages, _ = answer("min man andas inte " + "x" * MAX_MESSAGE_CHARS, "nlu_fallback")
    assert messages[0]["custom"]["item"] == "akut_112"


@pytest.mark.parametrize("asked", ["situation_boka_tid", "akut_vald"])
def test_after_an_emergency_the_question_asked_is_the_first_button(asked: str) -> None:
    messages, _ = answer("hur bokar jag tid på vårdcentralen, jag orkar inte leva", f"ask_{asked}")
    assert messages[0]["custom"]["item"] == "akut_sjalvmord"
    assert messages[0]["buttons"][0]["payload"] == replies.show_payload(asked)


@pytest.mark.parametrize("intent", ["nlu_fallback", "ask_akut_112", "greet"])
def test_an_emergency_answer_offers_no_extra_topic_when_none_other_was_asked(intent: str) -> None:
    messages, _ = answer("min man andas inte", intent, {"language": "sv"})
    plain = replies.answer(content_store().get(), "akut_112", "sv")
    assert [m["buttons"] for m in messages] == [m["buttons"] for m in plain]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_answer_or_section_has_two_buttons_with_one_label(lang: str) -> None:
    """The item on coordinators was titled like the button to one ("Prata med en koordinator"), so
    thirteen answers and the help section showed one label for two places; in ar/ti/so the dental
    lesson part and the dental service had one title. A title like a fixed button is left out."""
    content = content_store().get()
    for node_id in [*content.items, *content.section_items]:
        for shown in replies.show(content, node_id, lang, rate=True):
            titles = [entry["title"] for entry in shown["buttons"]]
            assert len(titles) == len(set(titles)), (node_id, titles)
    situation = replies.answer(content, "situation_sjuk_idag", lang)[-1]["buttons"]
    assert {"title": notice(ui_text.BUTTON_COORDINATOR, lang), "payload": replies.HANDOFF_PAYLOAD} in situation


def notice(key: str, lang: str = "sv") -> str:
    return content_store().get().ui_text(key, lang)


@pytest.mark.parametrize("text", [None, "", "😀 !!", "x" * (MAX_MESSAGE_CHARS + 1)])
def test_an_empty_or_overlong_message_gets_a_kind_notice(text: str | None) -> None:
    messages, events = answer(text, "nlu_fallback", {"language": "sv"})
    expected = ui_text.TOO_LONG if text and len(text) > MAX_MESSAGE_CHARS else ui_text.EMPTY_MESSAGE
    assert [m["text"] for m in messages] == [notice(expected)]
    assert events == []


def test_a_message_at_the_length_limit_is_answered() -> None:
    messages, _ = answer("x" * MAX_MESSAGE_CHARS, "nlu_fallback", {"language": "sv"})
    assert notice(ui_text.TOO_LONG) not in [m["text"] for m in messages]


def test_the_language_slot_follows_the_message_and_is_set_only_when_it_changes() -> None:
    _, events = answer("ما عم يتنفس", "nlu_fallback", {"language": "sv"})
    assert {"name": "language", "value": "ar"} in [{k: e.get(k) for k in ("name", "value")} for e in events]
    _, events = answer("ما عم يتنفس", "nlu_fallback", {"language": "ar"})
    assert [e["name"] for e in events] == ["last_item"]


def test_without_a_trigger_the_classifiers_topic_is_answered() -> None:
    messages, _ = answer("hur bokar jag tid på vårdcentralen", "ask_situation_boka_tid")
    assert messages[0]["custom"]["item"] == "situation_boka_tid"
    assert "112" not in messages[0]["text"]


class Agent:
    """Rasa's agent as the channel uses it: it only parses a message."""

    def __init__(self, intent: str, confidence: float = 1.0) -> None:
        self.intent, self.confidence = intent, confidence

    async def parse_message(self, text: str) -> dict[str, Any]:
        return {"intent": {"name": self.intent, "confidence": self.confidence}}


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """A coordinator has the conversation (request 7); records what reaches them."""
    seen: dict[str, list] = {"messages": [], "returned": []}
    monkeypatch.setattr(channel.participants, "live_request", lambda sender: 7)
    monkeypatch.setattr(channel.participants, "add_message", lambda rid, text: seen["messages"].append((rid, text)))
    monkeypatch.setattr(channel.participants, "return_to_bot", lambda sender: seen["returned"].append(sender))
    return seen


def passed(text: str, intent: str = "ask_somn", confidence: float = 1.0) -> bool:
    return asyncio.run(channel._passed_to_coordinator(Agent(intent, confidence), "unit", text))


def test_during_a_coordinator_conversation_an_emergency_is_answered_and_reaches_the_coordinator(live: dict) -> None:
    assert passed("min man andas inte", intent="ask_akut_112") is False
    assert live["messages"] == [(7, "min man andas inte")]


def test_during_a_coordinator_conversation_other_words_go_to_the_coordinator_only(live: dict) -> None:
    assert passed("tack, förmiddag passar", intent="thanks") is True
    assert passed("radera mina uppgifter", intent="delete_data", confidence=0.59) is True
    assert passed("radera mina uppgifter", intent="delete_data", confidence=0.6) is False
    assert passed("tillbaka till boten", intent="back_to_bot", confidence=0.95) is False
    assert [text for _, text in live["messages"]] == [
        "tack, förmiddag passar",
        "radera mina uppgifter",
        "radera mina uppgifter",
        "tillbaka till boten",
    ]
    assert live["returned"] == []


def test_during_a_coordinator_conversation_buttons_return_to_the_bot_except_a_chosen_time(live: dict) -> None:
    assert passed("/menu") is False
    assert passed('/choose{"proposal": "3"}') is False
    assert live["returned"] == ["unit"]
    assert live["messages"] == []


def test_without_a_coordinator_or_for_an_overlong_message_the_bot_answers(
    live: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert passed("x" * (MAX_MESSAGE_CHARS + 1)) is False
    assert passed("x" * MAX_MESSAGE_CHARS) is True
    monkeypatch.setattr(channel.participants, "live_request", lambda sender: None)
    assert passed("tack") is False
    assert [len(text) for _, text in live["messages"]] == [MAX_MESSAGE_CHARS]


def required(slots: dict[str, Any]) -> list[str]:
    dispatcher = CollectingDispatcher()
    return asyncio.run(ValidateHandoffForm().required_slots(SLOTS, dispatcher, tracker("x", "deny", slots), {}))


def test_consent_no_ends_the_form_and_yes_asks_the_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("actions.handoff.participants.open_reference", lambda sender: None)
    assert required({"handoff_consent": NO}) == []
    assert required({"handoff_consent": YES}) == ["handoff_consent", "handoff_name", "handoff_contact"]
    assert required({"handoff_consent": YES, "handoff_contact": "phone"}) == SLOTS
    assert required({"handoff_consent": None}) == ["handoff_consent", "handoff_name", "handoff_contact"]


def test_an_open_request_is_not_asked_for_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("actions.handoff.participants.open_reference", lambda sender: "K-123")
    assert required({"handoff_consent": None}) == []
    assert required({"handoff_consent": YES}) == ["handoff_consent", "handoff_name", "handoff_contact"]


def form_run(text: str, intent: str, requested: str | None = "handoff_name") -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    slots = {"requested_slot": requested, "handoff_consent": YES}
    events = asyncio.run(ValidateHandoffForm().run(dispatcher, tracker(text, intent, slots), {}))
    return dispatcher.messages, events


def test_mid_form_an_emergency_is_answered_and_the_question_stays_open() -> None:
    messages, events = form_run("Amal, jag orkar inte leva", "inform")
    assert messages[0]["custom"]["item"] == "akut_sjalvmord"
    assert "112" in messages[0]["text"]
    assert [(e["name"], e["value"]) for e in events] == [("handoff_name", None)]


def test_mid_form_cancel_in_words_or_another_button_ends_the_form() -> None:
    for text, intent in (("avbryt", "cancel"), ("/menu", "menu")):
        messages, events = form_run(text, intent)
        assert messages == []
        assert [(e["name"], e["value"]) for e in events] == [("handoff_confirm", ENDED), ("requested_slot", None)]


@pytest.mark.parametrize(
    ("intent", "choice", "answer"),
    [("choose", "no", NO), ("choose", "yes", YES), ("deny", None, NO), ("affirm", None, YES)],
)
def test_consent_is_read_from_the_button_or_a_plain_yes_or_no(intent: str, choice: str | None, answer: str) -> None:
    dispatcher = CollectingDispatcher()
    consent = ValidateHandoffForm().validate_handoff_consent(
        "x", dispatcher, tracker("x", intent, {"handoff_consent": None}, choice), {}
    )
    assert consent == {"handoff_consent": answer}
    assert dispatcher.messages == []


def test_anything_else_at_the_consent_question_asks_again() -> None:
    dispatcher = CollectingDispatcher()
    consent = ValidateHandoffForm().validate_handoff_consent("hej", dispatcher, tracker("hej", "greet"), {})
    assert consent == {"handoff_consent": None}
    assert len(dispatcher.messages) == 1 and dispatcher.messages[0]["text"]
