"""The loaded content in every language, and a store that reloads it when coordinators edit it.

Swedish is the master: it decides which items exist, their sources, links and scope. Other
languages add what a reader sees. Anything not yet translated is served in Swedish, with a note.

The store re-reads the folder when a file changes, at most once a second, so a coordinator's
edit is live without a restart. A broken edit is reported and ignored: participants keep
getting the last content that passed the check.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.content.check import Problem, check_language, check_translation, walk
from bot.content.schema import Item, Section, TranslatedItem, TranslatedSection
from bot.content.terms import load_terms
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.nlu.normalize import contains_phrase, fold, without_arabic_conjunctions

logger = logging.getLogger(__name__)

RELOAD_INTERVAL_SECONDS = 1.0

Translated = TranslatedItem | TranslatedSection


class ContentError(Exception):
    """The content folder has problems; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Localized:
    """What a reader sees of an item, and the language it is actually in."""

    title: str
    text: str
    steps: list[str]
    lang: str


@dataclass(frozen=True)
class Content:
    """Everything the assistant can say, indexed for the actions."""

    sections: list[Section]
    items: dict[str, Item]
    section_items: dict[str, list[str]]
    parent: dict[str, str]
    ui: dict[str, str]
    triggers: list[tuple[str, str]] = field(default_factory=list)
    not_triggers: list[str] = field(default_factory=list)  # folded phrases that disarm a trigger
    translations: dict[str, dict[str, Translated]] = field(default_factory=dict)
    ui_translations: dict[str, dict[str, str]] = field(default_factory=dict)
    terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # language → item id → words

    def languages(self) -> list[str]:
        """Swedish and every language with its own interface texts, in a fixed order."""
        return [lang for lang in LANGUAGES if lang == SOURCE_LANGUAGE or lang in self.ui_translations]

    def menu(self) -> list[Section]:
        return sorted((s for s in self.sections if s.menu), key=lambda s: s.menu)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def ui_text(self, key: str, lang: str) -> str:
        return self.ui_translations.get(lang, {}).get(key) or self.ui[key]

    def localized(self, node_id: str, lang: str) -> Localized:
        """The item or section in `lang`, or in Swedish (lang "sv") if not translated yet."""
        translated = self.translations.get(lang, {}).get(node_id)
        node = translated or self.items.get(node_id) or self.section(node_id)
        steps = list(getattr(node, "steps", []))
        return Localized(node.title, node.text, steps, lang if translated else SOURCE_LANGUAGE)

    def example_questions(self) -> list[tuple[str, str]]:
        """(item id, question) for every example question, in every language: NLU training data."""
        versions = [self.items, *self.translations.values()]
        return [
            (item_id, question)
            for by_id in versions
            for item_id, node in sorted(by_id.items())
            if item_id in self.items
            for question in getattr(node, "examples", [])
        ]

    def next_part(self, item_id: str) -> str | None:
        """The part after this one in its lesson, for stepping through a lesson in class."""
        parent = self.items.get(self.parent.get(item_id, ""))
        if parent is None:
            return None
        ids = [part.id for part in parent.parts]
        position = ids.index(item_id)
        return ids[position + 1] if position + 1 < len(ids) else None

    def emergency_items(self) -> set[str]:
        """The items with emergency triggers: 112, suicide, violence, poisoning."""
        return {item_id for _, item_id in self.triggers}

    def urgent_item(self, text: str) -> str | None:
        """The emergency item whose trigger phrase (in any language) occurs in the message.
        Harmless phrases are cut out before Arabic conjunctions are taken off too: "فحص دم" (a
        blood test) would otherwise lose its first letter as if it were "and" and no longer match."""
        folded = _without(fold(text), self.not_triggers)
        versions = {folded, _without(without_arabic_conjunctions(folded), self.not_triggers)}
        matches = (item_id for phrase, item_id in self.triggers for v in versions if contains_phrase(v, phrase))
        return next(matches, None)


def load(root: Path) -> Content:
    """Loads and checks the content's structure; raises ContentError with every problem found.
    The readability of the Swedish answers is checked by `bot check` (bot.content.readability)."""
    sections, ui, problems = check_language(root / SOURCE_LANGUAGE)
    problems += _unknown_languages(root)
    translations: dict[str, dict[str, Translated]] = {}
    ui_translations: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        folder = root / lang
        if lang == SOURCE_LANGUAGE or not folder.is_dir():
            continue
        files, translated_ui, found = check_translation(folder, sections)
        problems += found
        translations[lang] = {f.model.section.id: f.model.section for f in files}
        translations[lang].update({item.id: item for f in files for item in walk(f.model.items)})
        if translated_ui:
            ui_translations[lang] = dict(translated_ui.model.strings)
    terms: dict[str, dict[str, list[str]]] = {}
    known_ids = {item.id for parsed in sections for item in walk(parsed.model.items)}
    for lang in LANGUAGES:
        if (root / lang).is_dir():
            terms[lang], found = load_terms(root / lang, known_ids)
            problems += found
    if problems or ui is None:
        raise ContentError(problems)
    items: dict[str, Item] = {}
    section_items: dict[str, list[str]] = {}
    parent: dict[str, str] = {}
    for parsed in sections:
        section_id = parsed.model.section.id
        section_items[section_id] = [item.id for item in parsed.model.items]
        for item in parsed.model.items:
            parent[item.id] = section_id
        for item in walk(parsed.model.items):
            items[item.id] = item
            for part in item.parts:
                parent[part.id] = item.id
    every_version = list(items.values()) + [t for by_id in translations.values() for t in by_id.values()]
    triggers = [(fold(phrase), node.id) for node in every_version for phrase in getattr(node, "triggers", [])]
    not_triggers = [fold(phrase) for node in every_version for phrase in getattr(node, "not_triggers", [])]
    return Content(
        sections=[parsed.model.section for parsed in sections],
        items=items,
        section_items=section_items,
        parent=parent,
        ui=dict(ui.model.strings),
        triggers=triggers,
        not_triggers=not_triggers,
        translations=translations,
        ui_translations=ui_translations,
        terms=terms,
    )


def _unknown_languages(root: Path) -> list[Problem]:
    """A folder of YAML files that is not a language of bot/languages.py would be left out unseen."""
    return [
        Problem(folder, 1, f'"{folder.name}" är inget språk som Hälsolotsen känner. Språken finns i bot/languages.py.')
        for folder in sorted(root.iterdir())
        if folder.is_dir() and folder.name not in LANGUAGES and any(folder.glob("*.yml"))
    ]


def _without(folded: str, phrases: list[str]) -> str:
    """The folded text with every harmless phrase cut out, so "det brinner i halsen" (a sore
    throat) no longer contains the trigger "det brinner" while "det brinner i köket" does."""
    for phrase in phrases:
        if contains_phrase(folded, phrase):
            folded = f" {folded} ".replace(f" {phrase} ", " | ").strip()
    return folded


def _signature(root: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*.yml")))


class ContentStore:
    """Serves the newest content that passed the check."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._signature = _signature(root)
        self._content = load(root)
        self._checked_at = time.monotonic()

    def get(self) -> Content:
        now = time.monotonic()
        if now - self._checked_at >= RELOAD_INTERVAL_SECONDS:
            self._checked_at = now
            self._reload_if_changed()
        return self._content

    def refresh(self) -> Content:
        """The content now, without waiting out the reload interval: for the process that just
        saved a file (bot/web/studio.py), whose next page must show the change."""
        self._checked_at = time.monotonic()
        self._reload_if_changed()
        return self._content

    def _reload_if_changed(self) -> None:
        signature = _signature(self._root)
        if signature == self._signature:
            return
        self._signature = signature
        try:
            self._content = load(self._root)
            logger.info("Content reloaded from %s", self._root)
        except ContentError as error:
            logger.error(
                "Content has problems; still serving the last good version. Fix these and save again:\n%s",
                error,
            )


@cache
def shared_store(root: Path) -> ContentStore:
    """The process's one store for `root`: the Rasa server's channel and its NLU component read
    the same content, so it is loaded and watched once."""
    return ContentStore(root)
