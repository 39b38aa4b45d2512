"""Rasa's logistic regression intent classifier, with its weights laid out for one message at a time.

scikit-learn scores a message as `features @ coef_.T`. `coef_` is stored row by row (intents ×
features), so its transpose is column-ordered, and SciPy's sparse product copies it into row
order first: the whole weight matrix (34,000 character and word n-grams × 65 intents) on every
message, about 6 ms, a fifth of the Rasa server's CPU under load (BENCHMARKS.md, "Profile").
Storing the same numbers column by column once, when the model loads, makes the transpose
row-ordered and the product copy-free: the scores do not change, only where the bytes lie.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ContiguousLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier; on load, `coef_` in column order (see the module)."""

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
