"""How content items map to NLU intents: a question about item `somn` is intent `ask_somn`.

One intent per answerable item keeps the answer text out of the model: coordinators change
texts without retraining, and only a change of example questions changes the training data.
"""

from __future__ import annotations

TOPIC_PREFIX = "ask_"


def intent_of_item(item_id: str) -> str:
    return f"{TOPIC_PREFIX}{item_id}"


def item_of_intent(intent: str | None) -> str | None:
    """The item a topic intent asks about, or None for conversation intents like `greet`."""
    if intent and intent.startswith(TOPIC_PREFIX):
        return intent[len(TOPIC_PREFIX) :]
    return None
