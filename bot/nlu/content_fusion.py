"""Fuses the classifier's intent ranking with retrieval over the live content.

The classifier (bot.nlu.cascade_classifier) knows the training data as it was at training time;
retrieval (bot.nlu.retrieval) knows the content as coordinators left it a second ago: its texts
in every language and the words per item in `content/<lang>/terms.yml`. Their scores are
averaged for the topic intents (`ask_<id>`), so a new term or an edited text helps at once.

Only intents the model was trained on can be answered (each has a rule), so a retrieval hit on
an item without its own intent counts for the nearest item above it that has one (a lesson part
for its lesson). Conversation intents (greet, handoff…) keep the classifier's confidence scaled
like the rest. FallbackClassifier comes after this component and applies its threshold to the
fused ranking, so "not sure" means not sure after both.

A message with no word the model was trained on (`known_words` 0: gibberish, a keyboard slip)
lands on 112, the item with the most varied examples, sometimes above the fallback threshold
(2 of 300 random "blorf <six letters> zzzt"). Such a message gets no emergency item above
`unknown_words_emergency_cap`, so it is "not sure" unless another topic is clearly meant; 112
then stays among the closest topics offered. None of the 1,820 held-out messages without a known
word is an emergency, and the emergency triggers in the content do not depend on the model.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.store import Content, shared_store
from bot.content.topics import intent_of_item
from bot.nlu.emergency import KNOWN_WORDS
from bot.nlu.retrieval import index_for
from bot.settings import CONTENT_DIR

logger = logging.getLogger(__name__)

INTENTS_FILE = "intents.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ContentRetrievalFusion(IntentClassifier, GraphComponent):
    """Mixes each topic intent's confidence with its retrieval similarity (both in [0, 1])."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_weight": 0.3, "candidates": 5, "ranking_length": 10, "unknown_words_emergency_cap": 0.2}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, intents: set[str]):
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.intents = intents

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ContentRetrievalFusion:
        return cls(config, model_storage, resource, set())

    def train(self, training_data: TrainingData) -> Resource:
        self.intents = {e.get(INTENT) for e in training_data.intent_examples if e.get(INTENT)}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / INTENTS_FILE).write_text(json.dumps(sorted(self.intents)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ContentRetrievalFusion:
        try:
            with model_storage.read_from(resource) as folder:
                intents = set(json.loads((folder / INTENTS_FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            intents = set()
        return cls(config, model_storage, resource, intents)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        try:
            content = shared_store(CONTENT_DIR).get()
        except Exception:
            logger.warning("Content could not be loaded; intents from the classifier alone.")
            return messages
        for message in messages:
            ranking = message.get("intent_ranking")
            if ranking:
                fused = self.fuse(content, ranking, message.get(TEXT) or "")
                if message.get(KNOWN_WORDS) == 0:
                    fused = self.capped(fused, {intent_of_item(item) for item in content.emergency_items()})
                message.set("intent", fused[0], add_to_output=True)
                message.set("intent_ranking", fused[: self.config["ranking_length"]], add_to_output=True)
        return messages

    def fuse(self, content: Content, ranking: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
        """(1 - w) × the classifier's confidence + w × the best retrieval similarity of the item."""
        similarity: dict[str, float] = {}
        for item_id, score in index_for(content).search(text).items():
            intent = self._answering_intent(content, item_id)
            if intent:
                similarity[intent] = max(similarity.get(intent, 0.0), score)
        top = sorted(similarity.items(), key=lambda kv: -kv[1])[: self.config["candidates"]]
        weight = self.config["retrieval_weight"]
        confidence = {entry["name"]: (1 - weight) * entry["confidence"] for entry in ranking}
        for intent, score in top:
            confidence[intent] = confidence.get(intent, 0.0) + weight * score
        return [
            {"name": name, "confidence": value} for name, value in sorted(confidence.items(), key=lambda kv: -kv[1])
        ]

    def capped(self, ranking: list[dict[str, Any]], emergencies: set[str]) -> list[dict[str, Any]]:
        """`ranking` with no emergency intent above `unknown_words_emergency_cap`, sorted again."""
        cap = self.config["unknown_words_emergency_cap"]
        capped = [
            {**entry, "confidence": min(entry["confidence"], cap)} if entry["name"] in emergencies else entry
            for entry in ranking
        ]
        return sorted(capped, key=lambda entry: -entry["confidence"])

    def _answering_intent(self, content: Content, item_id: str) -> str | None:
        """The item's own intent, or its lesson's, if the model knows it."""
        node: str | None = item_id
        while node:
            if intent_of_item(node) in self.intents:
                return intent_of_item(node)
            node = content.parent.get(node)
        return None
