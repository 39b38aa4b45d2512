"""Which "not sure" answers could have been answered? Rules for the top candidate, simulated.

    .venv/bin/python -m bench.unsure                          # the model in models/
    .venv/bin/python -m bench.unsure --model models/other.tar.gz

Issue 14: many "not sure" answers (nlu_fallback) offer the right topic first. This scores rules
that would answer the top candidate of such a message instead, from the same parse results, so
every rule is compared on one model: the two stages of bot.nlu.cascade_classifier (n-grams and
sentence encoder) both put it first; the classifier and content retrieval agree on it; it leads
the second by a factor. A message the real assistant answers (the emergency triggers and
bot.nlu.emergency included, as `bench.understanding.outcome` applies them) keeps its answer.

Rules are chosen on the everyday set (`tests/nlu/<lang>.yml`); the colloquial set is scored for
the report only. Per rule and language: accuracy, not sure and confident errors, as in
`bench.understanding`; results in bench/results/unsure.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.core.agent import Agent
from rasa.shared.nlu.constants import TEXT

from bench.understanding import FALLBACK, RESULTS, SETS, held_out, outcome
from bot.content.store import Content, load
from bot.nlu.cascade_classifier import CascadeIntentClassifier, _aligned
from bot.nlu.content_fusion import ContentRetrievalFusion
from bot.nlu.retrieval import index_for
from bot.settings import CONTENT_DIR, MODELS_DIR

Row = dict[str, Any]
Rule = Callable[[Row], bool]


def _node(agent: Agent, kind: type) -> Any:
    """The graph node running a component of this class (Rasa keeps no public handle on it)."""
    nodes = agent.processor.graph_runner._instantiated_nodes
    return next(node for node in nodes.values() if isinstance(getattr(node, "_component", None), kind))


def parse(model: Path, sets: dict[str, list[tuple[str, str, str]]], content: Content) -> dict[str, list[Row]]:
    """Every message's final answer, fused ranking, each stage's first intent and retrieval's."""
    agent = Agent.load(str(model))
    cascade_node = _node(agent, CascadeIntentClassifier)
    cascade: CascadeIntentClassifier = cascade_node._component
    fusion: ContentRetrievalFusion = _node(agent, ContentRetrievalFusion)._component
    stages: dict[str, tuple[str, str, str]] = {}

    def recording(component: CascadeIntentClassifier, messages: list) -> list:
        """The classifier as it runs, plus what each stage alone would rank first."""
        classes = list(cascade.clf.classes_)
        ngrams = cascade.clf.predict_proba(cascade._create_X(messages))
        dense = cascade._dense_probabilities([m.get(TEXT) or "" for m in messages])
        dense = _aligned(dense, list(cascade.dense.classes_), classes)
        messages = CascadeIntentClassifier.process(component, messages)
        for message, first, second in zip(messages, ngrams, dense, strict=True):
            chosen = message.get("intent")["name"]
            stages[message.get(TEXT)] = (classes[first.argmax()], classes[second.argmax()], chosen)
        return messages

    cascade_node._fn = recording

    async def parse_all(examples: list[tuple[str, str, str]]) -> list[dict]:
        return [await agent.parse_message(text) for text, _, _ in examples]

    rows: dict[str, list[Row]] = {}
    for name, examples in sets.items():
        rows[name] = []
        for (text, intent, lang), parsed in zip(examples, asyncio.run(parse_all(examples)), strict=True):
            answer, _ = outcome(content, parsed, text)
            ngram, encoder, classifier = stages[parsed["text"]]
            ranking = [entry for entry in parsed["intent_ranking"] if entry["name"] != FALLBACK]
            hits = index_for(content).top(text, 1)
            rows[name].append(
                {
                    "text": text,
                    "intent": intent,
                    "lang": lang,
                    "answer": answer,
                    "top": ranking[0]["name"],
                    "lead": ranking[0]["confidence"] / max(ranking[1]["confidence"], 1e-9),
                    "ngram": ngram,
                    "encoder": encoder,
                    "classifier": classifier,
                    "retrieval": fusion._answering_intent(content, hits[0].item_id) if hits else None,
                }
            )
    return rows


RULES: dict[str, Rule] = {
    "today (no rule)": lambda r: False,
    "both stages put it first": lambda r: r["ngram"] == r["encoder"] == r["top"],
    "both stages, lead >= 1.5x": lambda r: r["ngram"] == r["encoder"] == r["top"] and r["lead"] >= 1.5,
    "classifier = retrieval": lambda r: r["classifier"] == r["retrieval"] == r["top"],
    "lead >= 2x (emergency.py's MIN_LEAD)": lambda r: r["lead"] >= 2.0,
    "lead >= 1.5x": lambda r: r["lead"] >= 1.5,
}


def score(rows: list[Row], rule: Rule) -> dict[str, dict[str, float]]:
    """Accuracy, not sure and confident errors per language if `rule` answered the top candidate,
    and how many "not sure" it turned into a right or a wrong answer."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row["lang"]].append(row)
        groups["all"].append(row)
    scores = {}
    for lang, group in sorted(groups.items()):
        changed = [r for r in group if r["answer"] == FALLBACK and rule(r)]
        answers = [(r["top"] if r in changed else r["answer"], r["intent"]) for r in group]
        scores[lang] = {
            "accuracy": round(sum(a == i for a, i in answers) / len(answers), 3),
            "not_sure": round(sum(a == FALLBACK for a, _ in answers) / len(answers), 3),
            "confident_errors": round(sum(a not in (i, FALLBACK) for a, i in answers) / len(answers), 3),
            "answered_right": sum(r["top"] == r["intent"] for r in changed),
            "answered_wrong": sum(r["top"] != r["intent"] for r in changed),
        }
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODELS_DIR / "halsolotsen.tar.gz", help="trained model")
    args = parser.parse_args()
    content = load(CONTENT_DIR)
    rows = parse(args.model, {name: held_out(folder) for name, folder in SETS.items()}, content)
    result = {name: {rule: score(set_rows, test) for rule, test in RULES.items()} for name, set_rows in rows.items()}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "unsure.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    for name, rules in result.items():
        print(f"== {name} (accuracy / not sure / confident errors; fallbacks answered right+wrong)")
        for rule, scores in rules.items():
            cells = [
                f"{lang} {s['accuracy']:.3f}/{s['not_sure']:.3f}/{s['confident_errors']:.3f}"
                f" +{s['answered_right']}-{s['answered_wrong']}"
                for lang, s in scores.items()
            ]
            print(f"{rule:38} " + "  ".join(cells))


if __name__ == "__main__":
    main()
