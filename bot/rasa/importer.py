"""A Rasa training-data importer that adds what coordinators write in `content/`.

Coordinators add a question-and-answer item with a few example questions in YAML alone. This
importer turns those examples into NLU data for intent `ask_<id>`, declares the topic intents in
the domain and adds one rule per topic (answer it with `action_show`). Only ids and example
questions reach the model, never answer texts: editing a text changes nothing Rasa fingerprints,
so it needs no retraining, while a new example question does.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Dict, List

import rasa.shared.data
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.store import Content, load
from bot.content.topics import intent_of_item, item_of_intent
from bot.settings import CONTENT_DIR

ANSWER_ACTION = "action_show"


class ContentImporter(TrainingDataImporter):
    """Reads `content/` next to Rasa's own files (listed after `RasaFileImporter` in config.yml)."""

    def __init__(
        self,
        config_file: str | None = None,
        domain_path: str | None = None,
        training_data_paths: List[str] | str | None = None,
        content_dir: Path | str = CONTENT_DIR,
        **kwargs: Any,
    ) -> None:
        self._nlu_files = rasa.shared.data.get_data_files(training_data_paths, rasa.shared.data.is_nlu_file)
        self._content_dir = Path(content_dir)
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = load(self._content_dir)
        return self._content

    @cached_property
    def topic_intents(self) -> list[str]:
        """`ask_<id>` for every item with example questions here or in the NLU files. Kept: Rasa
        asks for the domain and the rules several times in one training, and reading the NLU
        files (17,000 examples) costs seconds each time."""
        asked = {item_id for item_id, _ in self.content.example_questions()}
        for path in self._nlu_files:
            asked |= {item_of_intent(intent) for intent in load_data(path).intents}
        return sorted(intent_of_item(item_id) for item_id in asked if item_id in self.content.items)

    def get_domain(self) -> Domain:
        return Domain.from_dict({"intents": self.topic_intents})

    def get_stories(self, exclusion_percentage: int | None = None) -> StoryGraph:
        rules = [
            {"rule": f"answer {intent}", "steps": [{"intent": intent}, {"action": ANSWER_ACTION}]}
            for intent in self.topic_intents
        ]
        reader = YAMLStoryReader(source_name=str(self._content_dir))
        return StoryGraph(reader.read_from_parsed_yaml({"version": "3.1", "rules": rules}) if rules else [])

    def get_conversation_tests(self) -> StoryGraph:
        return StoryGraph([])

    def get_config(self) -> Dict:
        return {}

    def get_config_file_for_auto_config(self) -> str | None:
        return None

    def get_nlu_data(self, language: str | None = "en") -> TrainingData:
        examples = [
            Message.build(text=question, intent=intent_of_item(item_id))
            for item_id, question in self.content.example_questions()
        ]
        return TrainingData(training_examples=examples)
