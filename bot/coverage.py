"""How complete each language is: the table coordinators read after `python -m bot check`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot import ui_text
from bot.content import Content
from bot.content_check import SOURCE_LANGUAGE
from bot.language import LANGUAGES


@dataclass(frozen=True)
class Coverage:
    lang: str
    items: int
    translated: int
    reviewed: int
    ui_missing: int

    @property
    def missing(self) -> int:
        return self.items - self.translated


def coverage(content: Content) -> list[Coverage]:
    """One row per language; Swedish is the master, so it is complete and counts as reviewed."""
    node_ids = [s.id for s in content.sections] + list(content.items)
    rows = [Coverage(SOURCE_LANGUAGE, len(node_ids), len(node_ids), len(node_ids), 0)]
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        translated = [content.translations.get(lang, {}).get(node_id) for node_id in node_ids]
        done = [t for t in translated if t is not None]
        ui_missing = len(ui_text.ALL - set(content.ui_translations.get(lang, {})))
        reviewed = sum(t.translation.status == "reviewed" for t in done)
        rows.append(Coverage(lang, len(node_ids), len(done), reviewed, ui_missing))
    return rows


def table(rows: list[Coverage], audio: Counter) -> str:
    """The text table, with the audio columns (texts with generated, recorded or no audio)."""
    lines = ["language  items  translated  reviewed  missing  ui missing  audio: generated  recorded  missing"]
    lines += [
        f"{r.lang:<8}  {r.items:>5}  {r.translated:>10}  {r.reviewed:>8}  {r.missing:>7}  {r.ui_missing:>10}"
        f"  {audio[(r.lang, 'generated')]:>16}  {audio[(r.lang, 'recorded')]:>8}  {audio[(r.lang, 'missing')]:>7}"
        for r in rows
    ]
    return "\n".join(lines)
