"""LIX (läsbarhetsindex) without spaCy, for the content editor in the web server.

`bot check` measures LIX with spaCy's Swedish tokenizer (bot.content.readability), but the web
server runs on its own Python without spaCy (tests/test_runtimes.py), and the editor must show
the number as a coordinator types. Words here are runs of letters and digits, joined across a
hyphen, dot, colon or slash ("e-legitimation", "1177.se", "020-84"), as spaCy keeps them; a
sentence ends at . ! ? … before a space, a quote or the end. On the Swedish content this gives the
same number as `bot check` for nearly every item (tests/unit/test_lix.py holds it within one
point); `bot check` stays the judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LONG_WORD_LETTERS = 6
LIX_LIMIT = 35
LIX_AIM = 30

_WORD = re.compile(r"[^\W_]+(?:[-.:/][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'»”)\]]|$)")


def as_sentences(text: str, steps: Iterable[str] = ()) -> str:
    """Joins an answer and its steps so that every step counts as a sentence of its own."""
    parts = [text.strip()] + [step.strip() for step in steps]
    return " ".join(p if p[-1:] in ".!?:" else f"{p}." for p in parts if p)


def lix(text: str) -> float:
    """LIX = words per sentence + percentage of words with more than six letters; 0 without words."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = sum(1 for part in _SENTENCE_END.split(text) if _WORD.search(part))
    long_words = sum(1 for word in words if sum(char.isalpha() for char in word) > LONG_WORD_LETTERS)
    return round(len(words) / max(sentences, 1) + 100 * long_words / len(words), 1)
