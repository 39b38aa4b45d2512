"""Rasa's whitespace tokenizer, on folded text (see `bot.nlu.normalize`).

Folding inside the tokenizer, rather than rewriting the message, changes only what the model
sees: the message text that actions, trackers and button payloads (`/show{...}`) rely on stays
exactly as the participant sent it.

It also keeps the national numbers that name a service. Rasa's `CountVectorsFeaturizer` writes
every number as `__NUMBER__`, which is right for "39 i feber" or "kl 10", but made "112" and
"1177" the same word, so "112 vad är det för" was answered with 1177 (BENCHMARKS.md, "Numbers
that name a service"). Those numbers are written as one word with letters, `nr112`, which the
featurizer leaves as it is.
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalize import normalize

# 112 (emergency), 1177 (health care advice), 114 14 (police), 90101 (Självmordslinjen),
# 116 111 (BRIS), 116 006 (Brottsofferjouren): what people ask about by its number
_SERVICE_NUMBER = re.compile(r"(?<![\d-])(112|1177|114 ?14|90101|116 ?111|116 ?006)(?![\d-])")


def with_service_numbers_as_words(text: str) -> str:
    """`ring 112` → `ring nr112`, `114 14` → `nr11414`: numbers the featurizer will not merge."""
    return _SERVICE_NUMBER.sub(lambda match: "nr" + match.group(1).replace(" ", ""), text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalizingWhitespaceTokenizer(WhitespaceTokenizer):
    """Splits on white space after folding Swedish, Arabic and Ge'ez spelling variants."""

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        original = message.get(attribute)
        if attribute != TEXT or not isinstance(original, str):
            return super().tokenize(message, attribute)
        message.set(attribute, with_service_numbers_as_words(normalize(original)))
        try:
            return super().tokenize(message, attribute)
        finally:
            message.set(attribute, original)
