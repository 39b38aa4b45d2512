"""A kept question added as an example (the insights page's "Lägg till som exempel på …", through
bot/content/editing.py) is found by the retrieval over the live content as soon as the content store
reloads (within RELOAD_INTERVAL_SECONDS), before any training: bot/nlu/retrieval.py indexes every
item's examples in every language, and the NLU component reads the shared store."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bot.content import editing
from bot.content.store import RELOAD_INTERVAL_SECONDS, ContentStore
from bot.nlu.retrieval import index_for

PROJECT_CONTENT = Path(__file__).resolve().parents[2] / "content"
ITEM = "forsakringskassan"
QUESTION = "كيف أغير إطار الدراجة الهوائية عندهم"  # nothing in the content is about bicycles


def test_an_added_example_is_found_by_retrieval_after_the_next_reload(tmp_path: Path) -> None:
    content_dir = Path(shutil.copytree(PROJECT_CONTENT, tmp_path / "content"))
    store = ContentStore(content_dir)
    before = index_for(store.get()).top(QUESTION, 1)
    assert not before or before[0].item_id != ITEM
    examples = store.get().translations["ar"][ITEM].examples
    url = f"sqlite:///{tmp_path / 'edits.db'}"
    editing.save_item(content_dir, "ar", ITEM, {"examples": [*examples, QUESTION]}, "lena", url=url)
    time.sleep(RELOAD_INTERVAL_SECONDS)
    [hit] = index_for(store.get()).top(QUESTION, 1)
    assert (hit.item_id, round(hit.score, 2)) == (ITEM, 1.0)
