"""The funder's summary names what was shown as coordinators know it: an item's or a lesson's title."""

from __future__ import annotations

from bot.content.store import load
from bot.settings import CONTENT_DIR
from bot.web.funder import _title


def test_an_item_a_lesson_introduction_and_an_old_id_are_named() -> None:
    content = load(CONTENT_DIR)
    section = content.sections[0]
    item_id, item = next(iter(content.items.items()))
    assert _title(content, item_id) == item.title
    assert _title(content, section.id) == section.title  # a lesson's introduction was shown by its id
    assert _title(content, "removed_item") == "removed_item"
