"""Finds the content items whose own words a message uses: retrieval over the live content.

The classifier knows what it was trained on; this knows what the content says now. Each item is
indexed in every language by its title, answer text, steps, example questions and the words
people use for it (`content/<lang>/terms.yml`), so a coordinator's edit or a new term helps at
once, and an Arabic answer text is found by the Arabic words in it. Agency names are Swedish in
every language, so every item's Swedish title and terms are indexed beside each translation.

Scoring is scikit-learn's TF-IDF over character n-grams within words, on folded text
(bot.nlu.normalize): robust to the typos, missing long vowels and spelling variants of real
messages, and with no model to train. An item's score is its best field's cosine similarity,
because a short title or term that matches well should not be drowned by a long answer text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.content.store import Content
from bot.languages import SOURCE_LANGUAGE
from bot.nlu.normalize import fold

NGRAMS = (2, 4)


@dataclass(frozen=True)
class Hit:
    item_id: str
    score: float


class ContentIndex:
    """Every item's fields as short documents, vectorised once per content version."""

    def __init__(self, content: Content) -> None:
        # Fields sorted by their item, so each item's fields are one run and its best score one
        # np.maximum.reduceat over the runs.
        fields = sorted((item_id, folded) for item_id, _lang, field in _fields(content) if (folded := fold(field)))
        owners = [item_id for item_id, _ in fields]
        documents = [folded for _, folded in fields]
        self._ids = sorted(set(owners))
        self._starts = np.searchsorted(owners, self._ids) if owners else np.zeros(0, dtype=int)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
        # Stored as n-grams × fields: a message's few n-grams then read only their own rows, like an
        # inverted index (fields × n-grams times the message would scan all 430,000 weights).
        self._postings = self._vectorizer.fit_transform(documents).T.tocsr() if documents else None

    def search(self, text: str) -> dict[str, float]:
        """Each item's best similarity to the message, in [0, 1]; items with none are left out."""
        folded = fold(text)
        if not folded or self._postings is None:
            return {}
        similarities = (self._vectorizer.transform([folded]) @ self._postings).toarray().ravel()
        best = np.maximum.reduceat(similarities, self._starts)
        return {item_id: float(score) for item_id, score in zip(self._ids, best, strict=True) if score > 0}

    def top(self, text: str, count: int = 3) -> list[Hit]:
        scores = self.search(text)
        return [Hit(item_id, score) for item_id, score in sorted(scores.items(), key=lambda kv: -kv[1])[:count]]


_latest: tuple[Content, ContentIndex] | None = None


def index_for(content: Content) -> ContentIndex:
    """The index of this content version, built once (the store hands out a new Content after an edit)."""
    global _latest
    if _latest is None or _latest[0] is not content:
        _latest = (content, ContentIndex(content))
    return _latest[1]


def best_part(content: Content, item_id: str, text: str, minimum: float) -> str | None:
    """The part of a lesson that a question matches better than the lesson's introduction.

    "mitt barn har feber" is classified as the lesson *Familj i Sverige*, whose introduction
    answers nothing; the part about children's health does. None when no part stands out."""
    item = content.items.get(item_id)
    if item is None or not item.parts:
        return None
    scores = index_for(content).search(text)
    part = max((p.id for p in item.parts), key=lambda part_id: scores.get(part_id, 0.0))
    score = scores.get(part, 0.0)
    return part if score >= minimum and score > scores.get(item_id, 0.0) else None


def _fields(content: Content) -> Iterator[tuple[str, str, str]]:
    """(item id, language, text) for every field worth matching, in every language."""
    for item_id, item in content.items.items():
        swedish_terms = content.terms.get(SOURCE_LANGUAGE, {}).get(item_id, [])
        for lang in content.languages():
            node = item if lang == SOURCE_LANGUAGE else content.translations.get(lang, {}).get(item_id)
            if node is None:
                continue
            yield item_id, lang, node.title
            yield item_id, lang, node.text
            yield item_id, lang, " ".join(getattr(node, "steps", []))
            for example in getattr(node, "examples", []):
                yield item_id, lang, example
            for term in content.terms.get(lang, {}).get(item_id, []):
                yield item_id, lang, term
        yield item_id, SOURCE_LANGUAGE, item.title
        for term in swedish_terms:
            yield item_id, SOURCE_LANGUAGE, term
