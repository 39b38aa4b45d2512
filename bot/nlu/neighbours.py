"""The encoder stage's second opinion: which training examples lie nearest to a message.

Why: the encoder stage's logistic regression draws one straight boundary per intent through the
encoder's space, and a message that says the same as a few examples in other words can land on
the wrong side of it. The nearest examples vote for their intents instead, the nearest most: a
weight of e^((similarity − best similarity) / temperature), so with a temperature of 0.01 an
example 0.01 less similar counts e⁻¹ as much. `bot.nlu.cascade_classifier` averages the votes
with the regression's probabilities. Chosen by cross-validation on the training data only
(`python -m bench.crossval --neighbours 0 10`; BENCHMARKS.md, "Nearest examples").

Why not scikit-learn's `KNeighborsClassifier`: the version Rasa 3.6 pins (1.1.3) normalises or
measures all 18,000 examples again for every message it is asked, 21–33 ms per message on this
machine, as long as the encoder itself. The encoder's vectors are already of length one, so one
matrix product and `argpartition` find the same neighbours in about 2 ms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class NearestExamples:
    """The k examples nearest to each message (cosine), as probabilities over `classes`."""

    def __init__(
        self, vectors: np.ndarray, labels: Sequence[str], classes: Sequence[str], k: int, temperature: float
    ) -> None:
        column = {name: index for index, name in enumerate(classes)}
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.labels = np.asarray(labels, dtype=str)
        self.classes = list(classes)
        self._columns = np.array([column[label] for label in self.labels], dtype=np.intp)
        self.k = min(k, len(self.labels))
        self.temperature = temperature

    def probabilities(self, queries: np.ndarray) -> np.ndarray:
        """One row per query (L2-normalised, as every `SentenceEncoder` gives them), summing to 1."""
        similarity = queries.astype(np.float32, copy=False) @ self.vectors.T
        nearest = np.argpartition(-similarity, self.k - 1, axis=1)[:, : self.k]
        closeness = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp((closeness - closeness.max(axis=1, keepdims=True)) / self.temperature)
        votes = np.zeros((len(queries), len(self.classes)))
        np.add.at(votes, (np.arange(len(queries))[:, None], self._columns[nearest]), weights)
        return votes / votes.sum(axis=1, keepdims=True)
