"""Trains the Rasa model when, and only when, its training data changed.

The fingerprint covers what Rasa learns from: config, domain, data/ and the example questions in
content/. Answer texts are left out on purpose: editing a text must not cost a retraining.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from bot.content import Content
from bot.settings import MODELS_DIR, PROJECT_ROOT

MODEL_NAME = "halsolotsen"
TRAINING_FILES = ("config.yml", "domain.yml")
TRAINING_DIRS = ("data",)


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"{MODEL_NAME}.tar.gz"


def fingerprint(content: Content, root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    files = [root / name for name in TRAINING_FILES]
    files += sorted(p for folder in TRAINING_DIRS for p in (root / folder).rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(content.example_questions(), ensure_ascii=False).encode())
    return digest.hexdigest()


def _fingerprint_file(models_dir: Path) -> Path:
    return models_dir / f"{MODEL_NAME}.fingerprint"


def needs_training(content: Content, models_dir: Path = MODELS_DIR) -> bool:
    stamp = _fingerprint_file(models_dir)
    return not (model_path(models_dir).exists() and stamp.exists() and stamp.read_text() == fingerprint(content))


def train(content: Content, models_dir: Path = MODELS_DIR, force: bool = False) -> Path:
    """Trains into `models_dir/halsolotsen.tar.gz` if the data changed; returns the model path."""
    if not force and not needs_training(content, models_dir):
        print(f"Model is up to date: {model_path(models_dir)}")
        return model_path(models_dir)
    print("Training data changed: training the model (about a minute)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--fixed-model-name", MODEL_NAME, "--out", str(models_dir)],
        cwd=PROJECT_ROOT,
        check=True,
    )
    _fingerprint_file(models_dir).write_text(fingerprint(content))
    return model_path(models_dir)
