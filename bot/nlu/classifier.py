"""Rasa's logistic regression intent classifier, made cheaper for one message at a time.

scikit-learn scores a message as `features @ coef_.T`. `coef_` is stored row by row (intents ×
features), so its transpose is column-ordered, and SciPy's sparse product copies it into row
order first: the whole weight matrix (34,000 character and word n-grams × 65 intents) on every
message, about 6 ms, a fifth of the Rasa server's CPU under load (BENCHMARKS.md, "Profile").
Storing the same numbers column by column once, when the model loads, makes the transpose
row-ordered and the product copy-free: the scores do not change, only where the bytes lie.

Rasa also builds each message's row by asking the message for its combined sparse features,
which deep-copies and joins the per-token (sequence) features too, only to drop them: about 5 %
of the Rasa server's CPU under load. The row is the sentence features joined in the same order,
so that is all this builds (the same matrix, tested); with dense features it is Rasa's way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ContiguousLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier; on load, `coef_` in column order, and each message's
    row from its sentence features only (see the module)."""

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if hasattr(component.clf, "coef_"):
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component

    def _create_X(self, messages: list[Message]) -> scipy.sparse.csr_matrix:  # noqa: N802 (Rasa's name)
        rows = []
        for message in messages:
            sentence = [f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
            if not sentence or any(f.is_dense() for f in sentence):
                return super()._create_X(messages)
            rows.append(scipy.sparse.hstack([f.features for f in sentence], format="csr"))
        return scipy.sparse.vstack(rows, format="csr")
