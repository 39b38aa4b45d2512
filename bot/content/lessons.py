"""The lessons a teacher steps through in class: the Hälsoskola lessons and the Socialförsäkring topics.

A lesson is an item followed by its parts, depth first, in the order the content lists them, so
coordinators decide the order by editing the YAML. The widget shows one step at a time with
Next/Previous and fetches each step's text and audio like any other item.
"""

from __future__ import annotations

from typing import Any

from bot.content.check import walk
from bot.content.store import Content

LESSON_SECTIONS = ("halsoskola", "socialforsakring")


def _titled(content: Content, node_id: str, lang: str) -> dict[str, str]:
    return {"id": node_id, "title": content.localized(node_id, lang).title}


def lessons(content: Content, lang: str) -> list[dict[str, Any]]:
    """Per lesson section: its title and its lessons, each with the ids and titles of its steps."""
    return [
        {
            **_titled(content, section_id, lang),
            "lessons": [
                {
                    **_titled(content, item_id, lang),
                    "steps": [_titled(content, step.id, lang) for step in walk([content.items[item_id]])],
                }
                for item_id in content.section_items[section_id]
            ],
        }
        for section_id in LESSON_SECTIONS
        if section_id in content.section_items
    ]


def lesson_ids(content: Content) -> list[str]:
    """Every lesson's id, in the order of `lessons`: what a link to a lesson may name."""
    return [item_id for section_id in LESSON_SECTIONS for item_id in content.section_items.get(section_id, [])]
