"""The intent classifier with column-ordered weights: same scores as Rasa's own, without the copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.classifier import ContiguousLogisticRegressionClassifier
from bot.settings import PROJECT_ROOT


@pytest.fixture
def stored(tmp_path: Path) -> tuple[LocalModelStorage, Resource, LogisticRegressionClassifier]:
    """A logistic regression classifier trained on random sparse features and persisted as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_classifier")
    config = LogisticRegressionClassifier.get_default_config()
    trained = LogisticRegressionClassifier(config, "intent_classifier", storage, resource)
    rng = np.random.default_rng(8)
    features = scipy.sparse.random(120, 500, density=0.05, format="csr", random_state=8)
    trained.clf.fit(features, rng.integers(0, 6, size=120).astype(str))
    trained.persist()
    return storage, resource, trained


def _load(cls: type, stored: tuple) -> LogisticRegressionClassifier:
    storage, resource, _ = stored
    context = ExecutionContext(GraphSchema({}), "test")
    return cls.load(cls.get_default_config(), storage, resource, context)


def test_loaded_weights_need_no_copy_and_score_the_same(stored: tuple) -> None:
    ours = _load(ContiguousLogisticRegressionClassifier, stored)
    rasas = _load(LogisticRegressionClassifier, stored)
    assert not rasas.clf.coef_.T.flags["C_CONTIGUOUS"]  # what made scoring copy the weights
    assert ours.clf.coef_.T.flags["C_CONTIGUOUS"]
    messages = scipy.sparse.random(20, 500, density=0.05, format="csr", random_state=9)
    assert np.array_equal(ours.clf.predict_proba(messages), rasas.clf.predict_proba(messages))
    assert list(ours.clf.classes_) == list(rasas.clf.classes_)


def test_the_project_pipeline_uses_it() -> None:
    import yaml

    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    # the cascade's first stage is this classifier (bot/nlu/cascade_classifier.py)
    assert "bot.nlu.cascade_classifier.CascadeIntentClassifier" in names
    from bot.nlu.cascade_classifier import CascadeIntentClassifier

    assert issubclass(CascadeIntentClassifier, ContiguousLogisticRegressionClassifier)


def _message(rng: np.random.Generator, dense: bool = False) -> Message:
    """A message as the project's featurizers leave it: per-token and sentence features from two
    sparse featurizers (words, character n-grams), and optionally a dense one."""
    message = Message(data={TEXT: "hej jag har ont"})
    for origin, width in (("words", 300), ("chars", 200)):
        tokens = scipy.sparse.random(4, width, density=0.2, format="coo", random_state=rng.integers(1000))
        sentence = scipy.sparse.random(1, width, density=0.3, format="coo", random_state=rng.integers(1000))
        message.add_features(Features(tokens, FEATURE_TYPE_SEQUENCE, TEXT, origin))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, origin))
    if dense:
        message.add_features(Features(rng.random((1, 8)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    return message


@pytest.mark.parametrize("dense", [False, True])
def test_rows_are_built_as_rasa_builds_them(stored: tuple, dense: bool) -> None:
    ours = _load(ContiguousLogisticRegressionClassifier, stored)
    rasas = _load(LogisticRegressionClassifier, stored)
    rng = np.random.default_rng(3)
    messages = [_message(rng, dense) for _ in range(3)]
    built, expected = ours._create_X(messages), rasas._create_X(messages)
    assert built.shape == expected.shape == (3, 508 if dense else 500)
    assert np.array_equal(built.toarray(), expected.toarray())
