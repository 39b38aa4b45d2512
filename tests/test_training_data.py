"""What reaches the model: content examples retrain it, content texts do not."""

from __future__ import annotations

from pathlib import Path

from bot import training
from bot.content import load
from bot.rasa_importer import ContentImporter
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
    asked = {intent.removeprefix("ask_") for intent in importer.topic_intents()}
    assert asked <= set(importer.content.items)
    assert {"etableringsersattning", "smarta", "akut_112"} <= asked
