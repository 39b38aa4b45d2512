"""The nearest-example votes of the encoder stage: the same as the plain computation, and kept
with the model (bot.nlu.neighbours, bot.nlu.cascade_classifier)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from sklearn.linear_model import LogisticRegression

from bot.nlu.cascade_classifier import CascadeIntentClassifier
from bot.nlu.neighbours import NearestExamples


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _plain(
    vectors: np.ndarray, labels: list[str], classes: list[str], query: np.ndarray, k: int, t: float
) -> np.ndarray:
    """Every similarity sorted, the k best weighted by e^((s − best) / t), summed per class."""
    similarity = vectors @ query
    best = sorted(range(len(labels)), key=lambda i: -similarity[i])[:k]
    votes = {name: 0.0 for name in classes}
    for i in best:
        votes[labels[i]] += float(np.exp((similarity[i] - similarity[best[0]]) / t))
    total = sum(votes.values())
    return np.array([votes[name] / total for name in classes])


def test_votes_are_the_plain_computation() -> None:
    rng = np.random.default_rng(5)
    vectors = _unit(rng.normal(size=(300, 16)))
    labels = [f"intent_{i % 7}" for i in range(300)]
    classes = [*sorted(set(labels)), "intent_without_examples"]
    nearest = NearestExamples(vectors, labels, classes, k=10, temperature=0.05)
    queries = _unit(rng.normal(size=(12, 16)))
    got = nearest.probabilities(queries)
    expected = np.stack([_plain(vectors, labels, classes, q, 10, 0.05) for q in queries])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)
    assert np.allclose(got.sum(axis=1), 1)
    assert not got[:, -1].any()  # a class with no examples gets no vote


def test_the_nearest_example_counts_most_and_k_is_capped() -> None:
    vectors = _unit(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    nearest = NearestExamples(vectors, ["a", "b", "c"], ["a", "b", "c"], k=50, temperature=0.1)
    assert nearest.k == 3
    votes = nearest.probabilities(_unit(np.array([[1.0, 0.05]])))[0]
    # similarities 1.00, 0.83, 0.05: weights 1, e^-1.7, e^-9.5
    assert votes[0] > 0.8 and votes[0] > votes[1] > votes[2] > 0


@pytest.fixture
def trained(tmp_path: Path) -> tuple[LocalModelStorage, Resource, CascadeIntentClassifier]:
    """A cascade whose encoder stage has a regression and the nearest-example votes, persisted."""
    storage, resource = LocalModelStorage(tmp_path), Resource("cascade")
    config = {**CascadeIntentClassifier.get_default_config(), "neighbours": 5}
    cascade = CascadeIntentClassifier(config, "cascade", storage, resource)
    rng = np.random.default_rng(2)
    labels = [f"intent_{i % 4}" for i in range(80)]
    cascade.clf.fit(scipy.sparse.random(80, 50, density=0.1, format="csr", random_state=2), labels)
    vectors = _unit(rng.normal(size=(80, 384)))
    cascade.dense = LogisticRegression().fit(vectors, labels)
    cascade.nearest = cascade._nearest(vectors, labels, list(cascade.dense.classes_))
    cascade.persist()
    return storage, resource, cascade


def test_the_votes_are_kept_with_the_model_and_change_the_encoder_stage(trained: tuple) -> None:
    storage, resource, cascade = trained
    loaded = CascadeIntentClassifier.load(cascade.config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    assert loaded.nearest is not None
    queries = _unit(np.random.default_rng(3).normal(size=(6, 384)))
    np.testing.assert_allclose(loaded._encoded_probabilities(queries), cascade._encoded_probabilities(queries))
    assert not np.allclose(loaded._encoded_probabilities(queries), loaded.dense.predict_proba(queries))


def test_without_neighbours_the_regression_answers_alone(trained: tuple) -> None:
    storage, resource, cascade = trained
    config = {**cascade.config, "neighbours": 0}
    loaded = CascadeIntentClassifier.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    assert loaded.nearest is None
    queries = _unit(np.random.default_rng(4).normal(size=(3, 384)))
    np.testing.assert_array_equal(loaded._encoded_probabilities(queries), loaded.dense.predict_proba(queries))
