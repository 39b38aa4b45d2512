"""Trains the Rasa model when, and only when, its training data or our NLU code changed.

The fingerprint covers what Rasa learns from: config, domain, data/ and the example questions in
content/. Answer texts are left out on purpose: editing a text must not cost a retraining.
It also covers our own code that the model is built with: the components and importers
config.yml names (bot.nlu.tokenizer, bot.nlu.classifier, bot.rasa.importer) and every project
module they import, followed to the end (bot.nlu.normalize, bot.content.topics, bot.content.store…). A model
trained with old folding or an old classifier would otherwise be reused after the code changed:
locally and in the test suite, which both keep models/.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import yaml

from bot.content.store import Content
from bot.settings import MODELS_DIR, PROJECT_ROOT

MODEL_NAME = "halsolotsen"
TRAINING_FILES = ("config.yml", "domain.yml")
TRAINING_DIRS = ("data",)
CONFIG_SECTIONS = ("importers", "pipeline", "policies")


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"{MODEL_NAME}.tar.gz"


def fingerprint(content: Content, root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    files = [root / name for name in TRAINING_FILES]
    files += sorted(p for folder in TRAINING_DIRS for p in (root / folder).rglob("*") if p.is_file())
    files += nlu_code(root)
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(content.example_questions(), ensure_ascii=False).encode())
    return digest.hexdigest()


def nlu_code(root: Path = PROJECT_ROOT) -> list[Path]:
    """Our modules that config.yml names as components or importers, and every project module
    they import, directly or not; sorted, so the fingerprint does not depend on the order."""
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8")) or {}
    names = [entry.get("name", "") for section in CONFIG_SECTIONS for entry in config.get(section) or []]
    found: set[Path] = set()
    todo = [path for name in names if (path := _module_file(root, name.rpartition(".")[0]))]
    while todo:
        path = todo.pop()
        if path not in found:
            found.add(path)
            todo += _imported_files(root, path)
    return sorted(found)


def _module_file(root: Path, module: str) -> Path | None:
    """The project file of a dotted module name, or None for a module outside the project."""
    if not module:
        return None
    base = root.joinpath(*module.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def _imported_files(root: Path, path: Path) -> list[Path]:
    """The project files `path` imports; `from bot import x` may name a module or a name in one."""
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return [file for module in modules if (file := _module_file(root, module))]


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
    print("Training data changed: training the model (a few minutes the first time)…", flush=True)
    subprocess.run(
        # Rasa's own command line, with third-party deprecation notices left out (bot.rasa.server).
        [sys.executable, "-m", "bot.rasa.server", "train", "--fixed-model-name", MODEL_NAME, "--out", str(models_dir)],
        cwd=PROJECT_ROOT,
        check=True,
    )
    _fingerprint_file(models_dir).write_text(fingerprint(content))
    return model_path(models_dir)
