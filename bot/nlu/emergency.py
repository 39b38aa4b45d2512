"""When the model is unsure but an emergency stands out: answer the emergency first.

No trigger caught "maken slår" or "جوزي عم يمد ايده علي", and the model was below its threshold,
yet the emergency items led its ranking. A false alarm costs a moment's reading; a missed
emergency far more. Two ways an unsure message counts as an emergency:

- one emergency item leads the ranking clearly (twice the next intent's confidence), or
- the emergency items together outweigh every other intent: the model often splits an
  emergency between 112, violence and suicide ("my husband lays a hand on me": 112 0.18,
  violence 0.09, poisoning 0.06), which is no reason to doubt that it is one. Then the
  highest-ranked emergency item answers.

Gibberish ("blorf quxxel zzzt") also lands on 112, the item with the most varied examples; it
uses no word the model was trained on, so both ways need at least one known word (`known_words`,
from bot.nlu.cascade_classifier). The first way once went without: 6 of 300 random "blorf <six
letters> zzzt" got the 112 answer, and none of the 1,820 held-out messages without a known word
is an emergency. Such a message still gets 112 among the closest topics. Thresholds were chosen
on the held-out sets' misses and on random strings (see BENCHMARKS.md, understanding).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FALLBACK = "nlu_fallback"
KNOWN_WORDS = "known_words"  # set by bot.nlu.cascade_classifier
MIN_CONFIDENCE = 0.2  # a single emergency item's clear lead
MIN_LEAD = 2.0  # times the confidence of the next intent
MIN_MASS = 0.15  # all emergency items together
MIN_MASS_LEAD = 1.2  # times the best other intent


def likely_emergency(parse_data: dict[str, Any], emergency_intents: Iterable[str]) -> str | None:
    """The emergency intent an unsure message most likely means, or None."""
    urgent = set(emergency_intents)
    ranked = [entry for entry in parse_data.get("intent_ranking") or [] if entry.get("name") != FALLBACK]
    if not ranked or not parse_data.get(KNOWN_WORDS, 1.0):
        return None
    first = ranked[0].get("confidence", 0.0)
    second = ranked[1].get("confidence", 0.0) if len(ranked) > 1 else 0.0
    if ranked[0].get("name") in urgent and first >= MIN_CONFIDENCE and first >= MIN_LEAD * second:
        return ranked[0]["name"]
    mass = sum(entry.get("confidence", 0.0) for entry in ranked if entry.get("name") in urgent)
    other = max((entry.get("confidence", 0.0) for entry in ranked if entry.get("name") not in urgent), default=0.0)
    if mass >= MIN_MASS and mass >= MIN_MASS_LEAD * other:
        return next(entry["name"] for entry in ranked if entry.get("name") in urgent)
    return None
