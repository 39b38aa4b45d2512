"""Understanding benchmark: does a participant's message reach the right answer, per language?

    .venv/bin/python -m bench.understanding --label after            # train the real model, score it
    .venv/bin/python -m bench.understanding --label before --model models/old.tar.gz

Unlike `bench.nlu` (the classifier alone, cross-validated), this scores what the assistant does
with a message: the real model as `bot.rasa.training` trains it (content importer included), then the
emergency triggers first, as the actions apply them. Three held-out sets per language, never
trained on: `tests/nlu/<lang>.yml` (everyday register), `tests/nlu/colloquial/<lang>.yml` (dialects,
Arabizi, typos; written before any tuning, hashes in its README and in BENCHMARKS.md) and
`tests/nlu/newer/<lang>.yml` (the 17 newest topics, which the first two hardly cover).

Per language and set: accuracy (the right item or intent), "not sure" (the model asked back,
which offers the three closest topics), confident errors (a wrong answer given as right: the
figure to keep near zero), top-3 (the right one among the offered three), emergency recall (an
emergency message got an emergency answer), and the answer language for a first message.
Results go to bench/results/understanding-<label>.json; `--report` writes the BENCHMARKS.md
section from every saved label.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bench.report import update_section
from bot.content.store import Content, load
from bot.content.topics import intent_of_item
from bot.nlu import language
from bot.nlu.emergency import likely_emergency
from bot.settings import CONTENT_DIR, PROJECT_ROOT

FALLBACK = "nlu_fallback"
EMERGENCY_PREFIX = "ask_akut_"
SETS = {
    "everyday": PROJECT_ROOT / "tests" / "nlu",
    "colloquial": PROJECT_ROOT / "tests" / "nlu" / "colloquial",
    "newer": PROJECT_ROOT / "tests" / "nlu" / "newer",
}
RESULTS = PROJECT_ROOT / "bench" / "results"
Example = tuple[str, str, str]  # text, intent, language


def held_out(folder: Path) -> list[Example]:
    return [
        (m.get("text"), m.get("intent"), path.stem)
        for path in sorted(folder.glob("*.yml"))
        for m in load_data(str(path)).intent_examples
    ]


def set_hashes() -> dict[str, str]:
    """sha256 of each held-out file, so a reader can tell the sets were not changed after tuning."""
    return {
        str(path.relative_to(PROJECT_ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for folder in SETS.values()
        for path in sorted(folder.glob("*.yml"))
    }


def train_model(folder: Path, config: Path) -> tuple[Path, float]:
    """`rasa train` as bot.rasa.training runs it, with the given pipeline (to compare pipelines)."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "rasa", "train", "--config", str(config), "--out", str(folder)]
    subprocess.run([*command, "--fixed-model-name", "model"], cwd=PROJECT_ROOT, check=True, capture_output=True)
    return folder / "model.tar.gz", time.perf_counter() - started


def emergency_intents(content: Content) -> set[str]:
    """Intents of the items that have emergency triggers (112, suicide, violence, poisoning)."""
    return {intent_of_item(item_id) for _, item_id in content.triggers}


def outcome(content: Content, parsed: dict, text: str) -> tuple[str, list[str]]:
    """What the assistant answers (an intent, or nlu_fallback) and the three it would offer."""
    urgent = content.urgent_item(text)
    ranking = [entry["name"] for entry in parsed.get("intent_ranking") or [] if entry["name"] != FALLBACK]
    if urgent:
        return intent_of_item(urgent), [intent_of_item(urgent)]
    emergency = likely_emergency(parsed, emergency_intents(content))
    if parsed["intent"]["name"] == FALLBACK and emergency:
        return emergency, ranking[:3]  # actions/fallback.py answers a likely emergency first
    return parsed["intent"]["name"], ranking[:3]


def evaluate(model: Path, sets: dict[str, list[Example]]) -> dict:
    content = load(CONTENT_DIR)
    agent = Agent.load(str(model))

    async def parse_all(examples: list[Example]) -> list[dict]:
        return [await agent.parse_message(text) for text, _, _ in examples]

    results: dict = {}
    for name, examples in sets.items():
        started = time.perf_counter()
        parsed = asyncio.run(parse_all(examples))
        per_message_ms = 1000 * (time.perf_counter() - started) / max(len(examples), 1)
        rows = []
        urgent = emergency_intents(content)
        for (text, intent, lang), result in zip(examples, parsed, strict=True):
            answer, offered = outcome(content, result, text)
            rows.append(
                {
                    "text": text,
                    "intent": intent,
                    "lang": lang,
                    "answer": answer,
                    "offered": offered,
                    "detected": language.detect(text),
                    "emergency_answer": answer in urgent,
                }
            )
        results[name] = {"scores": score(rows), "ms_per_message": round(per_message_ms, 1), "rows": rows}
    return results


def score(rows: list[dict]) -> dict[str, dict[str, float]]:
    by_language: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_language[row["lang"]].append(row)
        by_language["all"].append(row)
    scores = {}
    for lang, group in sorted(by_language.items()):
        n = len(group)
        emergencies = [r for r in group if r["intent"].startswith(EMERGENCY_PREFIX)]
        scores[lang] = {
            "examples": n,
            "accuracy": round(sum(r["answer"] == r["intent"] for r in group) / n, 3),
            "not_sure": round(sum(r["answer"] == FALLBACK for r in group) / n, 3),
            "confident_errors": round(sum(r["answer"] not in (r["intent"], FALLBACK) for r in group) / n, 3),
            "top3": round(sum(r["answer"] == r["intent"] or r["intent"] in r["offered"] for r in group) / n, 3),
            "emergency_recall": round(sum(r["emergency_answer"] for r in emergencies) / len(emergencies), 3)
            if emergencies
            else None,
            "language_right": round(sum((r["detected"] or "sv") == r["lang"] for r in group) / n, 3)
            if lang != "all"
            else None,
        }
    return scores


def report() -> str:
    saved = {
        p.stem.removeprefix("understanding-"): json.loads(p.read_text())
        for p in sorted(RESULTS.glob("understanding-*.json"))
    }
    lines = [
        "Command: `.venv/bin/python -m bench.understanding --label <name>` (trains the real model, then scores",
        "the held-out sets with the emergency triggers applied first, as the actions do).",
        "Aims: accuracy ≥ 0.92 in every language on every set, confident errors ≤ 2 %, emergency recall 100 %.",
        "",
        "| run | set | language | n | accuracy | not sure | confident errors | top-3 | emergency recall"
        " | language right |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, result in saved.items():
        for name in SETS:
            if name not in result["sets"]:
                continue
            for lang, s in result["sets"][name]["scores"].items():
                recall = "–" if s["emergency_recall"] is None else f"{s['emergency_recall']:.2f}"
                right = "–" if s["language_right"] is None else f"{s['language_right']:.2f}"
                lines.append(
                    f"| {label} | {name} | {lang} | {s['examples']} | {s['accuracy']:.2f} | {s['not_sure']:.2f} "
                    f"| {s['confident_errors']:.2f} | {s['top3']:.2f} | {recall} | {right} |"
                )
    lines += ["", "Training time and speed per run:", ""]
    for label, result in saved.items():
        speed = ", ".join(f"{name} {r['ms_per_message']} ms/message" for name, r in result["sets"].items())
        lines.append(f"- {label}: trained in {result['train_seconds']} s; {speed}; {result['note']}")
    lines += ["", "Held-out files (sha256, first 16 hex digits) at the latest run:", ""]
    last = list(saved.values())[-1] if saved else {"hashes": {}}
    lines += [f"- `{path}`: `{digest}`" for path, digest in last["hashes"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="latest", help="name of this run in the results")
    parser.add_argument("--model", type=Path, help="score this trained model instead of training one")
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml", help="pipeline to train")
    parser.add_argument("--note", default="", help="what this run is (code and data state)")
    parser.add_argument("--report", action="store_true", help="only rewrite the BENCHMARKS.md section")
    args = parser.parse_args()
    if not args.report:
        sets = {name: held_out(folder) for name, folder in SETS.items() if any(folder.glob("*.yml"))}
        with tempfile.TemporaryDirectory() as folder:
            model, took = (args.model, 0.0) if args.model else train_model(Path(folder), args.config)
            result = {
                "train_seconds": round(took, 1),
                "note": args.note,
                "hashes": set_hashes(),
                "sets": evaluate(model, sets),
            }
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"understanding-{args.label}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        for name, r in result["sets"].items():
            for lang, s in r["scores"].items():
                print(name, lang, s)
    update_section(
        PROJECT_ROOT / "BENCHMARKS.md", "understanding", "Understanding (`bench/understanding.py`)", report()
    )


if __name__ == "__main__":
    main()
