"""What reaches the model: content examples retrain it, content texts do not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.store import load
from bot.rasa import training
from bot.rasa.importer import ContentImporter
from bot.settings import PROJECT_ROOT

NEW_ITEM = """
  - id: busskort
    title: Busskort
    text: Fråga din kommun om busskort. Det kan vara billigare för dig.
    examples:
      - hur får jag busskort
      - billigt busskort
      - buss kort pris
    source: Hälsolotsen
    reviewed: 2026-11-23
    scope: national
"""


def _stamp_current_model(content_dir: Path, models_dir: Path) -> None:
    models_dir.mkdir()
    training.model_path(models_dir).write_bytes(b"model")
    (models_dir / f"{training.MODEL_NAME}.fingerprint").write_text(training.fingerprint(load(content_dir)))


def test_new_item_with_examples_needs_training_and_text_edit_does_not(content_dir: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    _stamp_current_model(content_dir, models)
    assert not training.needs_training(load(content_dir), models)

    path = content_dir / "sv" / "halsa.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Drick inte kaffe", "Drick inte te"), encoding="utf-8")
    assert not training.needs_training(load(content_dir), models)

    path.write_text(path.read_text(encoding="utf-8") + NEW_ITEM, encoding="utf-8")
    assert training.needs_training(load(content_dir), models)


def test_importer_turns_content_examples_into_intents_rules_and_nlu_data(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_ITEM, encoding="utf-8")
    importer = ContentImporter(training_data_paths=[str(content_dir / "no-nlu-files")], content_dir=content_dir)

    assert [i for i in importer.get_domain().intents if i.startswith("ask_")] == ["ask_busskort", "ask_somn"]
    rules = {step.block_name: step for step in importer.get_stories().story_steps}
    assert {"answer ask_busskort", "answer ask_somn"} <= set(rules)
    examples = {(m.get("text"), m.get("intent")) for m in importer.get_nlu_data().intent_examples}
    assert ("billigt busskort", "ask_busskort") in examples


def test_project_nlu_files_only_ask_about_items_that_exist() -> None:
    importer = ContentImporter(training_data_paths=[str(PROJECT_ROOT / "data")])
    asked = {intent.removeprefix("ask_") for intent in importer.topic_intents}
    assert asked <= set(importer.content.items)
    assert {"etableringsersattning", "smarta", "akut_112"} <= asked


def _project_copy(root: Path) -> Path:
    """What the fingerprint reads from the project: config, domain, data/ and our package."""
    root.mkdir()
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    for folder in ("data", "bot"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize(
    "module", ["bot/nlu/tokenizer.py", "bot/nlu/classifier.py", "bot/nlu/normalize.py", "bot/rasa/importer.py"]
)
def test_a_change_to_our_nlu_code_retrains(content_dir: Path, tmp_path: Path, module: str) -> None:
    root, content = _project_copy(tmp_path / "project"), load(content_dir)
    before = training.fingerprint(content, root)
    with (root / module).open("a", encoding="utf-8") as code:
        code.write("\nCHANGED = True\n")
    assert training.fingerprint(content, root) != before


def test_a_new_component_in_config_yml_and_what_it_imports_are_covered(content_dir: Path, tmp_path: Path) -> None:
    root, content = _project_copy(tmp_path / "project"), load(content_dir)
    (root / "bot" / "nlu_extra.py").write_text("from bot.nlu_helper import x\n", encoding="utf-8")
    (root / "bot" / "nlu_helper.py").write_text("x = 1\n", encoding="utf-8")
    before = training.fingerprint(content, root)
    config = root / "config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - name: bot.nlu_extra.Extra\n", encoding="utf-8")
    named = training.fingerprint(content, root)
    assert named != before
    (root / "bot" / "nlu_helper.py").write_text("x = 2\n", encoding="utf-8")
    assert training.fingerprint(content, root) != named


def test_code_the_model_does_not_use_needs_no_retraining(content_dir: Path, tmp_path: Path) -> None:
    root, content = _project_copy(tmp_path / "project"), load(content_dir)
    before = training.fingerprint(content, root)
    with (root / "bot" / "web.py").open("a", encoding="utf-8") as code:
        code.write("\nCHANGED = True\n")
    assert training.fingerprint(content, root) == before
