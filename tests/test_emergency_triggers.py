"""Emergencies come first, whatever the classifier thinks (issue 21, M1 and the blind spot on
real triggers). End to end over the REST channel: real model, Rasa and action servers.

Every phrase here is checked not to be NLU training data, so it is the trigger path
(`actions/base.py`, `Content.urgent_item`) that answers, not the classifier on its own. The
triggers are the real ones from content/<lang>/, each inside a longer message about another topic
(a held-out question from tests/nlu/<lang>.yml, never trained on), and the answer must be the
emergency, with 112, first, in the participant's language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from bot.content.store import Content, load
from bot.languages import codes
from bot.nlu.normalize import fold
from bot.settings import CONTENT_DIR, NLU_DIR, PROJECT_ROOT
from tests.assistant import Assistant, new_sender

HELD_OUT = PROJECT_ROOT / "tests" / "nlu"
# Held-out questions about ordinary topics, to wrap each trigger in.
OTHER_TOPICS = ("ask_situation_boka_tid", "ask_somn", "ask_smarta")
LANGUAGES = codes()


@lru_cache(maxsize=1)
def content() -> Content:
    return load(CONTENT_DIR)


def _examples(path: Path, intents: tuple[str, ...] | None = None) -> list[str]:
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        line.removeprefix("- ").strip()
        for block in blocks
        if "intent" in block and (intents is None or block["intent"] in intents)
        for line in block["examples"].splitlines()
        if line.strip()
    ]


@lru_cache(maxsize=1)
def training_examples() -> frozenset[str]:
    """Every example the model is trained on: data/nlu/ and the example questions in content/."""
    examples = [e for path in sorted(NLU_DIR.glob("*.yml")) for e in _examples(path)]
    examples += [question for _, question in content().example_questions()]
    return frozenset(fold(example) for example in examples)


def triggers(lang: str) -> list[tuple[str, str]]:
    """(item id, trigger phrase) of every emergency item, as written in content/<lang>/."""
    found = content()
    nodes = found.items if lang == "sv" else found.translations[lang]
    urgent = [item_id for item_id, item in found.items.items() if item.triggers]
    return [(item_id, phrase) for item_id in urgent for phrase in getattr(nodes.get(item_id), "triggers", [])]


def first_answer(messages: list[dict]) -> tuple[str | None, str, str | None]:
    """The first message's item, text and language."""
    first = messages[0] if messages else {}
    custom = first.get("custom", {})
    return custom.get("item"), first.get("text", ""), custom.get("lang")


@pytest.mark.parametrize(
    ("message", "item"),
    [
        ("hur bokar jag tid på vårdcentralen, jag orkar inte leva", "akut_sjalvmord"),
        ("var kan jag läsa om sömn för min man andas inte nu", "akut_112"),
        ("när kommer etableringsersättningen? han slår mig varje dag", "akut_vald"),
    ],
)
def test_an_emergency_inside_another_question_is_answered_with_112_first(
    assistant: Assistant, message: str, item: str
) -> None:
    assert fold(message) not in training_examples()
    answered, text, lang = first_answer(assistant.say(message))
    assert (answered, lang) == (item, "sv")
    assert "112" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_real_trigger_of_a_language_inside_a_longer_message_gets_112_first_in_that_language(
    assistant: Assistant, lang: str
) -> None:
    questions = _examples(HELD_OUT / f"{lang}.yml", OTHER_TOPICS)
    found = triggers(lang)
    assert len(found) >= 20 and questions, f"{lang}: fewer triggers or questions than expected"
    wrong = []
    for number, (item, phrase) in enumerate(found):
        question = questions[number % len(questions)]
        message = f"{question} {phrase}" if number % 2 else f"{phrase}. {question}"
        assert fold(message) not in training_examples()
        answered, text, answered_lang = first_answer(assistant.say(message, new_sender()))
        if (answered, answered_lang) != (item, lang) or "112" not in text:
            wrong.append(f"{message!r}: {answered} in {answered_lang}, 112 {'said' if '112' in text else 'missing'}")
    assert not wrong, f"{len(wrong)} of {len(found)} {lang} triggers:\n" + "\n".join(wrong)
