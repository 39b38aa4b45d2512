"""Rasa's whitespace tokenizer, on folded text (see `bot.nlu.normalize`).

Folding inside the tokenizer, rather than rewriting the message, changes only what the model
sees: the message text that actions, trackers and button payloads (`/show{...}`) rely on stays
exactly as the participant sent it.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalize import normalize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalizingWhitespaceTokenizer(WhitespaceTokenizer):
    """Splits on white space after folding Swedish, Arabic and Ge'ez spelling variants."""

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        original = message.get(attribute)
        if attribute != TEXT or not isinstance(original, str):
            return super().tokenize(message, attribute)
        message.set(attribute, normalize(original))
        try:
            return super().tokenize(message, attribute)
        finally:
            message.set(attribute, original)
