"""Readability of Swedish answers, measured as LIX (läsbarhetsindex).

LIX = words per sentence + percentage of long words (more than six letters). Lättläst Swedish
aims at about 30 and stays at 35 or lower. We let spaCy's Swedish tokenizer and rule-based
sentencizer find words and sentences, because splitting on spaces counts punctuation as letters
("skola." would become a long word) and misses sentence ends after quotes and list items.

spaCy (and through it TensorFlow, when installed) is why this runs in `bot check` (so in CI and in
`bot run`'s check) and not when a process loads content: the web server and the Telegram front end
run on their own Python without spaCy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from bot.content.check import Problem, _id_lines, check_language, walk
from bot.content.lix import LIX_AIM, LIX_LIMIT, LONG_WORD_LETTERS, as_sentences
from bot.languages import SOURCE_LANGUAGE

__all__ = ["LIX_AIM", "LIX_LIMIT", "as_sentences", "lix", "problems"]


@lru_cache(maxsize=1)
def _swedish() -> Language:
    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    return nlp


def lix(text: str) -> float:
    """LIX of a Swedish text; 0 for a text without words."""
    doc = _swedish()(text)
    words = [t for t in doc if any(ch.isalnum() for ch in t.text)]
    if not words:
        return 0.0
    sentences = sum(1 for s in doc.sents if any(any(ch.isalnum() for ch in t.text) for t in s))
    long_words = sum(1 for t in words if sum(ch.isalpha() for ch in t.text) > LONG_WORD_LETTERS)
    return round(len(words) / max(sentences, 1) + 100 * long_words / len(words), 1)


def problems(root: Path) -> list[Problem]:
    """Every Swedish answer above the LIX limit, as `file:line: message` for the coordinator."""
    sections, _, _ = check_language(root / SOURCE_LANGUAGE)
    found = []
    for parsed in sections:
        lines = dict(reversed(_id_lines(parsed.raw)))
        for item in walk(parsed.model.items):
            if (score := lix(as_sentences(item.text, item.steps))) > LIX_LIMIT:
                advice = "Skriv kortare meningar och kortare ord."
                message = f'"{item.id}" är svår att läsa (LIX {score:.0f}, gränsen är {LIX_LIMIT}). {advice}'
                found.append(Problem(parsed.path, lines.get(item.id, 1), message))
    return found
