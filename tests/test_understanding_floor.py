"""A quality floor for understanding, on the real model: no language may fall below it.

The aims (accuracy ≥ 0.92, confident errors ≤ 2 %) are measured in `bench.understanding` and
written to BENCHMARKS.md; this test only stops a change that makes any language clearly worse.
The accuracy floor is issue 14's (0.85); the confident-error ceiling is above its 3 %, which the
model does not reach yet in every language. The model of e72d078 (accuracy 0.66–0.84, confident
errors up to 12.7 %) fails both. With the fifth round of training data (BENCHMARKS.md,
`round5-triggers`) the lowest accuracy is 0.873 (Arabic, everyday set) and confident errors reach
4.6 % (Swedish and Tigrinya, everyday set); the floor sits a few messages below both, so a change
that costs any language several answers fails here.
It scores the two large held-out sets (never trained on) with the emergency triggers applied first, as
the actions do, so it is deterministic for a given model (training uses fixed seeds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.understanding import SETS, evaluate, held_out
from bot.languages import codes

MIN_ACCURACY = 0.85
MAX_CONFIDENT_ERRORS = 0.06
LANGUAGES = codes()
# The third set (`newer`, the newest topics) has 75–83 messages per language: one message moves
# it 1.3 points, too coarse for a floor. It is measured in BENCHMARKS.md.
FLOOR_SETS = ("everyday", "colloquial")


@pytest.fixture(scope="module")
def scores(trained_model: Path) -> dict:
    return {
        name: result["scores"]
        for name, result in evaluate(trained_model, {n: held_out(SETS[n]) for n in FLOOR_SETS}).items()
    }


@pytest.mark.parametrize("held_out_set", FLOOR_SETS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_is_understood_above_the_floor(scores: dict, held_out_set: str, lang: str) -> None:
    measured = scores[held_out_set][lang]
    assert measured["examples"] >= 150
    assert measured["accuracy"] >= MIN_ACCURACY, measured
    assert measured["confident_errors"] <= MAX_CONFIDENT_ERRORS, measured
