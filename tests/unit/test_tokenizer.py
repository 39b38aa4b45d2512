"""What the n-gram stage is shown of a message: folded spelling, and numbers that name a service."""

from __future__ import annotations

import re

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.tokenizer import NormalizingWhitespaceTokenizer

# Rasa's CountVectorsFeaturizer._process_tokens: every number becomes one word
RASA_NUMBER = re.compile(r"\b[0-9]+\b")


def _tokens(text: str) -> list[str]:
    tokenizer = NormalizingWhitespaceTokenizer(NormalizingWhitespaceTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokens = [token.text for token in tokenizer.tokenize(message, TEXT)]
    assert message.get(TEXT) == text  # the message itself stays as sent
    return [RASA_NUMBER.sub("__NUMBER__", token) for token in tokens]


@pytest.mark.parametrize(
    "text, number",
    [
        ("112 vad är det för", "nr112"),
        ("ring 1177", "nr1177"),
        ("اتصل ب ١١٢", "nr112"),  # Arabic-Indic digits
        ("polisen 114 14", "nr11414"),
        ("90101 på arabiska?", "nr90101"),
        ("bris 116 111", "nr116111"),
    ],
)
def test_a_service_number_reaches_the_featurizer_as_its_own_word(text: str, number: str) -> None:
    """112 and 1177 were both `__NUMBER__`, so "112 vad är det för" got the 1177 answer."""
    assert number in _tokens(text)


def test_other_numbers_stay_numbers() -> None:
    assert _tokens("39 i feber kl 10") == ["__NUMBER__", "i", "feber", "kl", "__NUMBER__"]
    assert "nr112" not in _tokens("11200 kr") + _tokens("tel 0771-112 200")
