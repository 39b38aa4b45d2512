"""NLU quality benchmark: cross-validated and held-out intent accuracy and macro-F1, per language.

    .venv/bin/python -m bench.nlu                      # our config.yml and Rasa's default pipeline
    .venv/bin/python -m bench.nlu --folds 3 --configs config.yml

Training data is everything the model learns from (data/nlu/*.yml and the example questions in
content/); held-out sets are tests/nlu/<lang>.yml, never used for training. A message the model
is unsure about (nlu_fallback) counts as wrong for accuracy, and is reported on its own too:
for participants, "I'm not sure, did you mean…" is far better than a confident wrong answer,
so the confident-error rate is the figure to watch. Results go to bench/results/nlu.json and
the NLU section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import yaml  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.model_training import train_nlu  # noqa: E402
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bench.report import update_section  # noqa: E402
from bot.content.store import load  # noqa: E402
from bot.content.topics import intent_of_item  # noqa: E402
from bot.settings import CONTENT_DIR  # noqa: E402

FALLBACK = "nlu_fallback"
Example = tuple[str, str, str]  # text, intent, language


def training_examples() -> list[Example]:
    examples = [
        (m.get("text"), m.get("intent"), path.stem)
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for m in load_data(str(path)).intent_examples
    ]
    examples += [(text, intent_of_item(i), "content") for i, text in load(CONTENT_DIR).example_questions()]
    return examples


def held_out_examples() -> list[Example]:
    return [
        (m.get("text"), m.get("intent"), path.stem)
        for path in sorted((ROOT / "tests" / "nlu").glob("*.yml"))
        for m in load_data(str(path)).intent_examples
    ]


def _config_without_importers(config: Path, folder: Path) -> Path:
    """Folds train on exactly the examples given, so the content importer must not add its own."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.pop("importers", None)
    target = folder / config.name
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def train(config: Path, examples: list[Example], folder: Path) -> tuple[Path, float]:
    data = TrainingData([Message.build(text=text, intent=intent) for text, intent, _ in examples])
    nlu_file = folder / "nlu.yml"
    RasaYAMLWriter().dump(nlu_file, data)
    started = time.perf_counter()
    model = train_nlu(str(_config_without_importers(config, folder)), str(nlu_file), str(folder / "models"))
    return Path(model), time.perf_counter() - started


def predict(model: Path, examples: list[Example]) -> list[str]:
    agent = Agent.load(str(model))

    async def parse_all() -> list[str]:
        return [(await agent.parse_message(text))["intent"]["name"] for text, _, _ in examples]

    return asyncio.run(parse_all())


def score(examples: list[Example], predicted: list[str]) -> dict[str, dict[str, float]]:
    """Accuracy, macro-F1, fallback rate and confident-error rate, overall and per language."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, (_, _, language) in enumerate(examples):
        by_language[language].append(index)
        by_language["all"].append(index)
    scores = {}
    for language, indices in sorted(by_language.items()):
        truth = [examples[i][1] for i in indices]
        guess = [predicted[i] for i in indices]
        fallbacks = sum(g == FALLBACK for g in guess)
        wrong = sum(g not in (t, FALLBACK) for g, t in zip(guess, truth, strict=True))
        scores[language] = {
            "examples": len(indices),
            "accuracy": round(sum(g == t for g, t in zip(guess, truth, strict=True)) / len(indices), 3),
            "macro_f1": round(f1_score(truth, guess, average="macro", labels=sorted(set(truth)), zero_division=0), 3),
            "fallback_rate": round(fallbacks / len(indices), 3),
            "confident_error_rate": round(wrong / len(indices), 3),
        }
    return scores


def cross_validate(config: Path, examples: list[Example], folds: int) -> dict:
    labels = [f"{intent}|{language}" for _, intent, language in examples]
    predicted = [""] * len(examples)
    seconds = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=42)
    for number, (train_idx, test_idx) in enumerate(splitter.split(examples, labels), start=1):
        print(f"  fold {number}/{folds}", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            model, took = train(config, [examples[i] for i in train_idx], Path(folder))
            seconds.append(took)
            for i, guess in zip(test_idx, predict(model, [examples[i] for i in test_idx]), strict=True):
                predicted[i] = guess
    return {"scores": score(examples, predicted), "train_seconds_per_fold": round(sum(seconds) / len(seconds), 1)}


def held_out(config: Path, examples: list[Example], tests: list[Example]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        model, took = train(config, examples, Path(folder))
        return {"scores": score(tests, predict(model, tests)), "train_seconds": round(took, 1)}


def _table(results: dict, kind: str) -> list[str]:
    lines = [
        "| config | language | examples | accuracy | macro-F1 | gap to sv (acc.) | fallback | confident errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for config, result in results.items():
        scores = result[kind]["scores"]
        for language, s in scores.items():
            gap = "" if language in ("sv", "all") else f"{s['accuracy'] - scores['sv']['accuracy']:+.3f}"
            lines.append(
                f"| {config} | {language} | {s['examples']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | {gap} "
                f"| {s['fallback_rate']:.3f} | {s['confident_error_rate']:.3f} |"
            )
    return lines


def report(results: dict, folds: int) -> str:
    lines = [f"Cross-validation ({folds} folds, stratified by intent and language) on all training data:", ""]
    lines += _table(results, "cross_validation")
    lines += ["", "Held out (`tests/nlu/<lang>.yml`, never trained on), model trained on all training data:", ""]
    lines += _table(results, "held_out")
    lines += ["", "Training time (one training on all data, this 2-core machine):", ""]
    lines += [f"- {config}: {result['held_out']['train_seconds']} s" for config, result in results.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", nargs="+", default=["config.yml", "bench/configs/rasa_default.yml"])
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    examples, tests = training_examples(), held_out_examples()
    results = {}
    for config in args.configs:
        print(f"{config}: cross-validation", flush=True)
        results[config] = {"cross_validation": cross_validate(ROOT / config, examples, args.folds)}
        print(f"{config}: held-out sets", flush=True)
        results[config]["held_out"] = held_out(ROOT / config, examples, tests)
    out = ROOT / "bench" / "results" / "nlu.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    text = report(results, args.folds)
    update_section(ROOT / "BENCHMARKS.md", "nlu", "NLU quality (`bench/nlu.py`)", text)
    print(text)


if __name__ == "__main__":
    main()
