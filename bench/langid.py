"""Language identification benchmark on short held-out messages (every held-out set of
bench.understanding: tests/nlu/<lang>.yml, colloquial/, newer/).

    .venv/bin/python -m bench.langid

Three outcomes per message: right language, wrong language (the conversation would switch to
the wrong language: the costly error), or undecided (too short to tell: the conversation keeps
its language). Figures go to the language-identification section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from bench.report import update_section
from bench.understanding import SETS, held_out
from bot.nlu.language import detect

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    lines = [
        "Held-out messages of every set of `bench.understanding` (never used for training); "
        "accuracy = right / all; decided accuracy = right / (right + wrong).",
        "",
        "| set | language | messages | right | wrong | undecided | accuracy | decided accuracy | µs per message |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, folder in SETS.items():
        totals: Counter = Counter()
        examples = held_out(folder)
        for lang in sorted({lang for _, _, lang in examples}):
            texts = [text for text, _, of in examples if of == lang]
            started = time.perf_counter()
            guesses = [detect(text) for text in texts]
            micros = (time.perf_counter() - started) / len(texts) * 1e6
            right = sum(g == lang for g in guesses)
            undecided = sum(g is None for g in guesses)
            wrong = len(texts) - right - undecided
            totals.update(messages=len(texts), right=right, wrong=wrong, undecided=undecided)
            lines.append(
                f"| {name} | {lang} | {len(texts)} | {right} | {wrong} | {undecided} | {right / len(texts):.3f} "
                f"| {right / max(right + wrong, 1):.3f} | {micros:.0f} |"
            )
            for text, guess in zip(texts, guesses, strict=True):
                if guess not in (lang, None):
                    print(f"wrong: {name} {lang} → {guess}: {text}")
        t = totals
        lines.append(
            f"| {name} | all | {t['messages']} | {t['right']} | {t['wrong']} | {t['undecided']} "
            f"| {t['right'] / t['messages']:.3f} | {t['right'] / max(t['right'] + t['wrong'], 1):.3f} | |"
        )
    lines += [
        "",
        'An undecided message (too short: "ok", "112", a name) keeps the conversation\'s language, and a '
        "first message defaults to Swedish; the costly error is *wrong*, which switches the conversation. "
        "The first row's time includes loading lingua's models once (about 0.5 s).",
    ]
    text = "\n".join(lines)
    update_section(ROOT / "BENCHMARKS.md", "langid", "Language identification (`bench/langid.py`)", text)
    print(text)


if __name__ == "__main__":
    main()
