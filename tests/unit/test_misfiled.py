"""bench.misfiled lists a training example filed under the wrong intent, and only such examples."""

from __future__ import annotations

import numpy as np

from bench.misfiled import flagged, out_of_fold

FEVER = ["barnet har feber", "min son har hög feber", "dottern har feber i natt", "feber hos barn vad gör jag"]
TEETH = ["barnet har ont i tänderna", "tandläkare för barn", "min son har hål i tanden", "gratis tandvård barn"]


def test_a_fever_question_filed_under_teeth_is_listed_and_the_rest_are_not() -> None:
    texts = FEVER * 3 + TEETH * 3 + ["lillebror har feber igen"]
    intents = ["ask_barn_feber"] * 12 + ["ask_barn_tandvard"] * 12 + ["ask_barn_tandvard"]
    vectors = np.zeros((len(texts), 4))  # the encoder adds nothing here: the n-grams must find it
    probabilities, classes = out_of_fold(texts, intents, vectors)
    listed, pairs, accuracy = flagged(texts, intents, probabilities, classes, min_other=0.5, max_own=0.4)
    assert [row[:3] for row in listed] == [("lillebror har feber igen", "ask_barn_tandvard", "ask_barn_feber")]
    assert pairs == {("ask_barn_feber", "ask_barn_tandvard"): 1}
    assert accuracy == 24 / 25
