"""The loaded content, and a store that reloads it when coordinators edit the YAML.

The store re-reads the folder when a file changes, at most once a second, so a coordinator's
edit is live without a restart. A broken edit is reported and ignored: participants keep
getting the last content that passed the check.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.content_check import SOURCE_LANGUAGE, Problem, check_language, walk
from bot.content_schema import Item, Section
from bot.normalize import contains_phrase, fold

logger = logging.getLogger(__name__)

RELOAD_INTERVAL_SECONDS = 1.0


class ContentError(Exception):
    """The content folder has problems; `problems` says where and what."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Content:
    """Everything the assistant can say, indexed for the actions."""

    sections: list[Section]
    items: dict[str, Item]
    section_items: dict[str, list[str]]
    parent: dict[str, str]
    ui: dict[str, str]
    triggers: list[tuple[str, str]] = field(default_factory=list)

    def menu(self) -> list[Section]:
        return sorted((s for s in self.sections if s.menu), key=lambda s: s.menu)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def next_part(self, item_id: str) -> str | None:
        """The part after this one in its lesson, for stepping through a lesson in class."""
        parent = self.items.get(self.parent.get(item_id, ""))
        if parent is None:
            return None
        ids = [part.id for part in parent.parts]
        position = ids.index(item_id)
        return ids[position + 1] if position + 1 < len(ids) else None

    def urgent_item(self, text: str) -> str | None:
        """The emergency item whose trigger phrase occurs in the message, if any."""
        folded = fold(text)
        return next((item_id for phrase, item_id in self.triggers if contains_phrase(folded, phrase)), None)


def load(root: Path) -> Content:
    """Loads and checks the content; raises ContentError with every problem found."""
    sections, ui, problems = check_language(root / SOURCE_LANGUAGE, check_lix=True)
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
    triggers = [(fold(phrase), item.id) for item in items.values() for phrase in item.triggers]
    return Content(
        sections=[parsed.model.section for parsed in sections],
        items=items,
        section_items=section_items,
        parent=parent,
        ui=dict(ui.model.strings),
        triggers=triggers,
    )


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
