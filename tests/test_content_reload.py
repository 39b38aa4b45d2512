"""A coordinator's edit is served live; a broken edit is reported and the last good text stays."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tests.assistant import Assistant, text_of

QUESTION = "jag har ont i ryggen"
NEW_TEXT = "Det här är en ny text om ont. Den kom utan omstart."


def _eventually(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def _replace_text(path: Path, item_id: str, new_text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {item_id}")
    text_at = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("text:"))
    indent = lines[text_at][: len(lines[text_at]) - len(lines[text_at].lstrip())]
    end = text_at + 1
    while end < len(lines) and (lines[end].startswith(indent + " ") or not lines[end].strip()):
        end += 1
    lines[text_at:end] = [f"{indent}text: {new_text}\n"]
    path.write_text("".join(lines), encoding="utf-8")


def test_edit_is_live_and_broken_edit_keeps_last_good(assistant: Assistant) -> None:
    path = assistant.content_dir / "sv" / "halsoskola.yml"
    original = path.read_text(encoding="utf-8")
    try:
        assert NEW_TEXT not in text_of(assistant.say(QUESTION))

        _replace_text(path, "smarta", NEW_TEXT)
        assert _eventually(lambda: NEW_TEXT in text_of(assistant.say(QUESTION)))

        path.write_text(path.read_text(encoding="utf-8") + "  - id: [trasig\n", encoding="utf-8")
        time.sleep(2.5)  # longer than the store's reload interval: it has seen the broken file
        assert NEW_TEXT in text_of(assistant.say(QUESTION))
    finally:
        path.write_text(original, encoding="utf-8")
    assert _eventually(lambda: NEW_TEXT not in text_of(assistant.say(QUESTION)))
