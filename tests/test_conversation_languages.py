"""End to end in every language over the REST channel: the same language back, agencies in Swedish."""

from __future__ import annotations

import httpx
import pytest

from tests.assistant import Assistant, new_sender, text_of


def _answers(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("custom", {}).get("item")]


@pytest.mark.parametrize(
    ("question", "lang", "item"),
    [
        ("vem betalar etableringsersättning", "sv", "etableringsersattning"),
        ("من يدفع etableringsersättning؟", "ar", "etableringsersattning"),
        ("etableringsersättning መን እዩ ዝኸፍል", "ti", "etableringsersattning"),
        ("yaa bixiya lacagta etableringsersättning", "so", "etableringsersattning"),
    ],
)
def test_first_message_is_answered_in_its_language_naming_the_agency(
    assistant: Assistant, question: str, lang: str, item: str
) -> None:
    messages = assistant.say(question)
    (answer,) = _answers(messages)
    assert answer["custom"]["item"] == item
    assert answer["custom"]["lang"] == lang
    assert answer["custom"]["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert "Försäkringskassan" in answer["text"]


def test_swedish_words_inside_somali_are_understood(assistant: Assistant) -> None:
    (answer,) = _answers(assistant.say("Waxaan rabaa inaan tago vårdcentralen"))
    assert answer["custom"]["lang"] == "so"
    assert answer["custom"]["item"] in {"vardcentral", "situation_boka_tid"}
    assert "vårdcentral" in answer["text"].lower()


def test_switching_language_mid_conversation_and_show_in_swedish(assistant: Assistant) -> None:
    sender = new_sender()
    assert _answers(assistant.say("jag har ont i ryggen", sender))[0]["custom"]["lang"] == "sv"

    switched = assistant.say('/change_language{"language": "ar"}', sender)
    assert [m["custom"]["lang"] for m in switched] == ["ar", "ar"]
    assert "العربية" in text_of(switched)

    arabic = _answers(assistant.say('/show{"item": "smarta"}', sender))[0]
    assert (arabic["custom"]["lang"], arabic["custom"]["item"]) == ("ar", "smarta")
    show_swedish = arabic["buttons"][0]
    assert show_swedish["payload"] == '/show{"item":"smarta","language":"sv"}'

    swedish = _answers(assistant.say(show_swedish["payload"], sender))[0]
    assert (swedish["custom"]["lang"], swedish["custom"]["item"]) == ("sv", "smarta")
    assert swedish["text"].startswith("Smärta")

    somali = assistant.say("waxaan qabaa xanuun dhabarka ah", sender)
    assert next(m["custom"]["lang"] for m in somali if "custom" in m) == "so"


def test_a_short_message_keeps_the_conversation_language(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say("من يدفع etableringsersättning؟", sender)
    messages = assistant.say("112", sender)
    assert messages
    assert {m["custom"]["lang"] for m in messages} == {"ar"}


@pytest.mark.parametrize(("question", "lang"), [("jag har ont i ryggen", "sv"), ("عندي ألم في الظهر", "ar")])
def test_answers_carry_their_audio_from_the_web_server(assistant: Assistant, question: str, lang: str) -> None:
    (answer,) = _answers(assistant.say(question))
    assert answer["custom"]["lang"] == lang
    assert answer["custom"]["audio"].startswith(f"{assistant.web_url}/audio/")
    for key, content_type in (("audio", "audio/mpeg"), ("voice", "audio/ogg")):
        response = httpx.get(answer["custom"][key])
        assert response.status_code == 200
        assert response.headers["content-type"] == content_type
        assert len(response.content) > 5_000


def test_without_audio_the_answer_is_text_only(assistant: Assistant) -> None:
    (answer,) = _answers(assistant.say("etableringsersättning መን እዩ ዝኸፍል"))
    assert answer["custom"]["lang"] == "ti"
    assert "audio" not in answer["custom"]
