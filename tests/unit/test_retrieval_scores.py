"""Retrieval's fast search gives each item exactly its best field's cosine similarity.

`ContentIndex` stores the fields as an inverted index and takes each item's best field with one
reduce over sorted runs; here the same scores are computed the plain way, field by field, on the
project's real content, so a wrong run boundary or a transposed matrix shows as a wrong score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bot.content.store import Content, load
from bot.nlu import retrieval
from bot.nlu.normalize import fold

MESSAGES = [
    "mitt barn har feber",
    "ابني حرارته عالية",
    "wiilkayga qandho ayuu qabaa",
    "ወደይ ረስኒ ኣለዎ",
    "hur söker jag bostadsbidrag",
    "Försäkringskassan",
    "zzzq",
]


@pytest.fixture(scope="module")
def content() -> Content:
    return load(Path(__file__).resolve().parents[2] / "content")


@pytest.fixture(scope="module")
def index(content: Content) -> retrieval.ContentIndex:
    return retrieval.ContentIndex(content)


@pytest.fixture(scope="module")
def plain(content: Content) -> tuple[list[tuple[str, str]], TfidfVectorizer, Any]:
    """Every field in the order `_fields` gives them, unsorted, and its own TF-IDF matrix."""
    fields = [(item_id, fold(field)) for item_id, _lang, field in retrieval._fields(content)]
    fields = [(item_id, folded) for item_id, folded in fields if folded]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=retrieval.NGRAMS, sublinear_tf=True)
    return fields, vectorizer, vectorizer.fit_transform([folded for _, folded in fields])


def _plain_scores(plain: tuple, text: str) -> dict[str, float]:
    fields, vectorizer, matrix = plain
    similarities = linear_kernel(matrix, vectorizer.transform([fold(text)])).ravel()
    best: dict[str, float] = {}
    for (item_id, _), score in zip(fields, similarities, strict=True):
        best[item_id] = max(best.get(item_id, 0.0), float(score))
    return {item_id: score for item_id, score in best.items() if score > 0}


@pytest.mark.parametrize("text", MESSAGES)
def test_search_equals_the_best_field_per_item(index: retrieval.ContentIndex, plain: tuple, text: str) -> None:
    fast = index.search(text)
    expected = _plain_scores(plain, text)
    assert fast.keys() == expected.keys()
    assert all(fast[item_id] == pytest.approx(expected[item_id], abs=1e-12) for item_id in expected)
