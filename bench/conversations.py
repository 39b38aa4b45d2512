"""Realistic conversations for simulated participants, one list of messages per conversation.

Ours mixes what participants really send: button taps (`/menu`, `/show{"item": …}` with item ids
from the content), free questions in Swedish, Arabic, Tigrinya and Somali (held-out examples from
`tests/nlu/<lang>.yml`, never trained on, so NLU works as hard as with real text), a language
change, and the start of a hand-off (`/handoff`, then a tap on "Nej" when asked for consent, so the
form ends at once and nothing is stored). The stock assistant gets its
own kind of conversation (greeting, mood, yes/no, "are you a bot", goodbye) from its NLU examples.

Every conversation is drawn from a seeded random generator, so runs are repeatable.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

from bot.content.replies import HANDOFF_PAYLOAD, LANGUAGE_PAYLOAD, MENU_PAYLOAD, choice_payload, show_payload
from bot.content.store import load
from bot.languages import codes
from bot.settings import CONTENT_DIR

ROOT = Path(__file__).resolve().parent.parent
CONSENT_NO = choice_payload("no")  # the "Nej" button under the consent question
LANGUAGES = codes()


def nlu_examples(path: Path) -> dict[str, list[str]]:
    """Example texts per intent from a Rasa NLU YAML file (plain examples, no entity markup needed)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        if "intent" in block:
            lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
            examples[block["intent"]] = [text for text in lines if text]
    return examples


class OurConversations:
    """Conversations with Hälsolotsen: taps, questions in four languages, a language change, a hand-off."""

    def __init__(self, seed: int = 8) -> None:
        content = load(CONTENT_DIR)
        self.nodes = sorted(content.items) + sorted(content.section_items)
        self.questions = {
            lang: [text for texts in nlu_examples(ROOT / "tests" / "nlu" / f"{lang}.yml").values() for text in texts]
            for lang in LANGUAGES
        }
        self.random = random.Random(seed)

    def _question(self, lang: str) -> str:
        return self.random.choice(self.questions[lang])

    def _tap(self) -> str:
        return show_payload(self.random.choice(self.nodes))

    def next(self) -> list[str]:
        """About ten messages: half taps, a third free questions, a language change, a hand-off start."""
        lang = self.random.choice(LANGUAGES)
        other = self.random.choice([code for code in LANGUAGES if code != lang])
        change = LANGUAGE_PAYLOAD + json.dumps({"language": other}, separators=(",", ":"))
        return [
            self._question(lang),
            MENU_PAYLOAD,
            self._tap(),
            self._tap(),
            self._question(lang),
            self._tap(),
            change,
            self._question(other),
            self._tap(),
            HANDOFF_PAYLOAD,
            CONSENT_NO,
        ]


class StockConversations:
    """Conversations with `rasa init`'s sample assistant, from its own NLU examples."""

    def __init__(self, stock_dir: Path, seed: int = 8) -> None:
        self.examples = nlu_examples(stock_dir / "data" / "nlu.yml")
        self.random = random.Random(seed)

    def _say(self, intent: str) -> str:
        return self.random.choice(self.examples[intent])

    def next(self) -> list[str]:
        mood = self.random.choice(["mood_great", "mood_unhappy"])
        messages = [self._say("greet"), self._say(mood)]
        if mood == "mood_unhappy":
            messages.append(self._say(self.random.choice(["affirm", "deny"])))
        return [*messages, self._say("bot_challenge"), self._say("greet"), self._say("goodbye")]
