"""How complete and how checked each language is: the table coordinators read after `bot check`.

Every item is in one of four states per language, so a coordinator sees what needs a person:
- reviewed: a person checked it. In Swedish: `reviewed` is set and the text has not `changed`
  since. In a translation: `status: reviewed`, and not older than the Swedish item.
- draft: nobody has checked it yet. In Swedish: no `reviewed` date. In a translation: `status: draft`.
- stale: checked once, but the Swedish item changed later. In Swedish: `changed` is after
  `reviewed`. In a translation: its `date` is before the Swedish item's `reviewed` or `changed`.
- missing: no translation; the participant is shown the Swedish text with a note.
Section headings carry no facts: in Swedish they count as reviewed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.content import ui_text
from bot.content.schema import Item
from bot.content.store import Content, Translated
from bot.languages import LANGUAGES, SOURCE_LANGUAGE


@dataclass(frozen=True)
class Coverage:
    lang: str
    items: int
    reviewed: int
    draft: int
    stale: int
    ui_missing: int

    @property
    def translated(self) -> int:
        return self.reviewed + self.draft + self.stale

    @property
    def missing(self) -> int:
        return self.items - self.translated


def swedish_state(item: Item | None) -> str:
    """reviewed, draft or stale, for a Swedish item (None: a section heading)."""
    if item is None:
        return "reviewed"
    if item.reviewed is None:
        return "draft"
    return "stale" if item.changed and item.changed > item.reviewed else "reviewed"


def translation_state(translated: Translated | None, original: Item | None) -> str:
    """reviewed, draft, stale or missing, for a translation of a Swedish item or section."""
    if translated is None:
        return "missing"
    last_change = original.last_change if original else None
    if last_change and translated.translation.date < last_change:
        return "stale"
    return translated.translation.status


def coverage(content: Content) -> list[Coverage]:
    """One row per language, Swedish first."""
    node_ids = [s.id for s in content.sections] + list(content.items)
    rows = []
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            states = Counter(swedish_state(content.items.get(node_id)) for node_id in node_ids)
            ui_missing = 0
        else:
            by_id = content.translations.get(lang, {})
            states = Counter(translation_state(by_id.get(node_id), content.items.get(node_id)) for node_id in node_ids)
            ui_missing = len(ui_text.ALL - set(content.ui_translations.get(lang, {})))
        rows.append(Coverage(lang, len(node_ids), states["reviewed"], states["draft"], states["stale"], ui_missing))
    return rows


def table(rows: list[Coverage], audio: Counter) -> str:
    """The text table, with the audio columns (texts with generated, recorded or no audio)."""
    lines = ["language  items  reviewed  draft  stale  missing  ui missing  audio: generated  recorded  missing"]
    lines += [
        f"{r.lang:<8}  {r.items:>5}  {r.reviewed:>8}  {r.draft:>5}  {r.stale:>5}  {r.missing:>7}  {r.ui_missing:>10}"
        f"  {audio[(r.lang, 'generated')]:>16}  {audio[(r.lang, 'recorded')]:>8}  {audio[(r.lang, 'missing')]:>7}"
        for r in rows
    ]
    return "\n".join(lines)
