"""End to end over the REST channel: what participants really write reaches the right answer
in their language (issue 14's bugs, other languages in the same scripts, Arabizi, and the taps
on offered topics that coordinators see)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from bot.nlu import other_languages
from bot.settings import CONTENT_DIR, HANDOFF_RETENTION_DAYS
from tests.assistant import Assistant, answered_item, new_sender
from tests.coordinator import database_url
from tests.test_insights import _coordinator, _insights

ENOUGH_SECONDS = 10


def _ui(lang: str, key: str) -> str:
    """An interface text as the content folder has it (what a participant must read)."""
    strings = yaml.safe_load((Path(CONTENT_DIR) / lang / "ui.yml").read_text(encoding="utf-8"))["strings"]
    return " ".join(strings[key].split())


def _items(messages: list[dict]) -> list[str]:
    return [m["custom"]["item"] for m in messages if m.get("custom", {}).get("item")]


def _language_buttons(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons", []) if '"language"' in b["payload"]]


@pytest.mark.parametrize(
    ("first_message", "lang"),
    [
        ("أريد أن أتكلم مع شخص", "ar"),
        ("bdi e7ki ma3 shakhs 7a2i2i", "ar"),
        ("waxaan rabaa inaan la hadlo qof", "so"),
        ("ምስ ሰብ ክዛረብ እደሊ", "ti"),
    ],
)
def test_a_first_message_asking_for_a_person_gets_the_consent_question_in_its_language(
    assistant: Assistant, first_message: str, lang: str
) -> None:
    messages = assistant.say(first_message)
    consent = next(m for m in messages if m.get("buttons"))
    assert " ".join(consent["text"].split()) == _ui(lang, "handoff_consent").format(days=HANDOFF_RETENTION_DAYS)
    assert consent["custom"]["lang"] == lang


@pytest.mark.parametrize(
    "question",
    [
        "sidee baan u bartaa luqadda iswiidhishka sfi",
        "ma heli karaa turjubaan luqadda soomaaliga ah",
    ],
)
def test_a_question_that_contains_the_word_language_is_answered_not_the_language_menu(
    assistant: Assistant, question: str
) -> None:
    messages = assistant.say(question)
    assert not any(" ".join(m.get("text", "").split()) == _ui("so", "language_title") for m in messages)
    assert {m["custom"]["lang"] for m in messages if "custom" in m} == {"so"}
    assert _items(messages), "a topic answer, not the language menu"


@pytest.mark.parametrize("question", ["mitt barn har feber", "min son har 39 feber", "barnet har feber vad gör jag"])
def test_a_childs_fever_is_neither_the_family_lesson_introduction_nor_112(assistant: Assistant, question: str) -> None:
    items = _items(assistant.say(question))
    assert items, "an answer"
    assert items[0] not in {"familj", "akut_112"}


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("سلام، من مریض هستم و دکتر می‌خواهم", other_languages.PERSIAN),
        ("زه ناروغ یم، ډاکټر ته اړتیا لرم", other_languages.PASHTO),
        ("سڵاو، من نەخۆشم و دکتۆرم دەوێت", other_languages.SORANI),
        ("میں بیمار ہوں، مجھے ڈاکٹر چاہیے", other_languages.URDU),
        ("ታምሜአለሁ ሐኪም እፈልጋለሁ", other_languages.AMHARIC),
    ],
)
def test_a_language_we_do_not_speak_is_told_so_in_that_language_and_offered_the_choice(
    assistant: Assistant, message: str, lang: str
) -> None:
    messages = assistant.say(message)
    assert messages[0]["text"] == other_languages.NOT_SUPPORTED[lang]
    assert len(_language_buttons(messages)) == 4
    assert not _items(messages), "no answer as if the message were Arabic or Tigrinya"


def test_arabizi_is_answered_in_arabic(assistant: Assistant) -> None:
    messages = assistant.say("3andi wja3 kteer b dahri")
    assert {m["custom"]["lang"] for m in messages if "custom" in m} == {"ar"}


def test_tigrinya_in_latin_letters_is_answered_in_tigrinya(assistant: Assistant) -> None:
    """No Ge'ez keyboard on the phone: "selam kemey aleka" was answered in Somali."""
    messages = assistant.say("selam kemey aleka dqas yebleyn")
    assert {m["custom"]["lang"] for m in messages if "custom" in m} == {"ti"}


@pytest.mark.parametrize("gibberish", ["blorf fhaeef zzzt", "blorf ohkllf zzzt"])
def test_gibberish_is_never_answered_with_112(assistant: Assistant, gibberish: str) -> None:
    """No word the model knows: the closest topics (112 may be among them), never the 112 answer.
    The first landed on 112 above the fallback threshold, the second by its clear lead."""
    messages = assistant.say(gibberish)
    assert answered_item(messages) is None
    assert "112" not in messages[0]["text"]  # the answer, not a button, would say it


def _query(assistant: Assistant, sql: str) -> list[tuple]:
    engine = create_engine(database_url(assistant))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_a_tap_on_an_offered_topic_is_counted_without_text_or_sender(assistant: Assistant) -> None:
    sender = new_sender()
    unsure = assistant.say("blorf papper zzzt", sender)
    offered = [b for m in unsure for b in m.get("buttons", []) if '"rank"' in b["payload"]]
    assert 1 <= len(offered) <= 3
    before = _query(assistant, "SELECT language, item, rank FROM suggestion_taps")
    item = _items(assistant.say(offered[0]["payload"], sender))[0]
    deadline = time.monotonic() + ENOUGH_SECONDS
    while len(after := _query(assistant, "SELECT language, item, rank FROM suggestion_taps")) == len(before):
        assert time.monotonic() < deadline, "the tap was not counted"
        time.sleep(0.2)
    assert after.count(("sv", item, 1)) == before.count(("sv", item, 1)) + 1
    assert len(after) == len(before) + 1
    columns = [row[1] for row in _query(assistant, "PRAGMA table_info(suggestion_taps)")]
    assert sorted(columns) == ["day", "id", "item", "language", "rank"]  # no text, no sender

    shown = _insights(_coordinator(assistant), weeks=1, lang="sv").json()["suggestion_taps"]
    assert {"language": "sv", "item": item, "rank": 1} in [
        {key: tap[key] for key in ("language", "item", "rank")} for tap in shown
    ]
