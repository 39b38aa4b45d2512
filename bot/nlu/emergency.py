"""When the model is unsure but an emergency stands out: answer the emergency first.

No trigger caught "maken slår" or "جوزي عم يمد ايده علي", and the model was below its threshold,
yet the emergency item led its ranking by far. A false alarm costs a moment's reading; a missed
emergency far more. But the emergency item with the most varied examples (112) is also where
gibberish lands, at about 0.17 and close to the next topic, so only a clear lead counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FALLBACK = "nlu_fallback"
MIN_CONFIDENCE = 0.2
MIN_LEAD = 2.0  # times the confidence of the next intent


def likely_emergency(ranking: list[dict[str, Any]], emergency_intents: Iterable[str]) -> str | None:
    """The emergency intent that leads the (fallback-less) ranking clearly, or None."""
    ranked = [entry for entry in ranking if entry.get("name") != FALLBACK]
    if not ranked or ranked[0].get("name") not in set(emergency_intents):
        return None
    first = ranked[0].get("confidence", 0.0)
    second = ranked[1].get("confidence", 0.0) if len(ranked) > 1 else 0.0
    return ranked[0]["name"] if first >= MIN_CONFIDENCE and first >= MIN_LEAD * second else None
