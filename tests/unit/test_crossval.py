"""bench.crossval scores the cascade and the fallback rule as the model applies them."""

from __future__ import annotations

import numpy as np

from bench.crossval import Pipeline, configured, scores

CLASSES = ["ask_barn_feber", "ask_vardguiden_1177", "greet"]
PIPELINE = Pipeline(
    c=1, encoder_c=10, confident=0.8, encoder_weight=0.5, threshold=0.25, ambiguity=0.1, max_ngram=5, min_df=2
)


def test_the_encoder_stage_counts_only_below_confident_and_the_fallback_asks_back() -> None:
    ngram = np.array(
        [
            [0.9, 0.05, 0.05],  # sure: the encoder's different view is not asked
            [0.5, 0.4, 0.1],  # unsure: averaged with the encoder, which moves it to 1177
            [0.4, 0.35, 0.25],  # unsure, and still two intents within 0.1: asked back
            [0.7, 0.2, 0.1],  # unsure, the encoder agrees: right
        ]
    )
    dense = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.3, 0.4, 0.3], [0.8, 0.1, 0.1]])
    intents = np.array(["ask_barn_feber", "ask_barn_feber", "ask_barn_feber", "ask_barn_feber"])
    languages = np.array(["sv", "sv", "ar", "ar"])
    result = scores(ngram, dense, intents, languages, CLASSES, PIPELINE, threshold=0.25, ambiguity=0.1)
    assert result["sv"] == (0.5, 0.5)  # one right, one confident error
    assert result["ar"] == (0.5, 0.0)  # one right, one asked back


def test_the_compared_pipeline_is_the_one_in_config_yml() -> None:
    pipeline = configured()
    assert 0 < pipeline.threshold < pipeline.confident <= 1
    assert pipeline.max_ngram == 5 and pipeline.min_df == 2
