"""Every intent is taught in every language with at least 30 examples (issue 14): an item with a
handful of examples in Tigrinya is an item Tigrinya speakers do not reach."""

from __future__ import annotations

from collections import Counter

import yaml

from bot.content.store import load
from bot.languages import codes
from bot.settings import CONTENT_DIR, NLU_DIR

FLOOR = 30
# Reached by their two buttons (keep an unanswered question or not; 👍/👎 under an answer); a few
# typed forms are enough.
BUTTON_INTENTS = {"keep_question", "rate"}


def _examples_per_intent() -> Counter[tuple[str, str]]:
    """(language, intent) → examples, from data/nlu/<lang>.yml and the content items' `examples`."""
    counts: Counter[tuple[str, str]] = Counter()
    for lang in codes():
        for block in yaml.safe_load((NLU_DIR / f"{lang}.yml").read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                lines = block.get("examples", "").splitlines()
                counts[(lang, block["intent"])] += sum(line.strip().startswith("- ") for line in lines)
    content = load(CONTENT_DIR)
    for lang, items in [("sv", content.items), *content.translations.items()]:
        for item_id, node in items.items():
            counts[(lang, f"ask_{item_id}")] += len(getattr(node, "examples", None) or [])
    return counts


def test_every_intent_has_thirty_examples_in_every_language() -> None:
    counts = _examples_per_intent()
    intents = {intent for (_, intent), n in counts.items() if n} - BUTTON_INTENTS
    thin = sorted((lang, intent, counts[(lang, intent)]) for intent in intents for lang in codes())
    thin = [row for row in thin if row[2] < FLOOR]
    assert not thin, f"{len(thin)} intents under {FLOOR} examples (language, intent, count): {thin}"
