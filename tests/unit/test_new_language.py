"""Adding a language is data: a content folder, its training data and one row in bot/languages.py.

A copy of the project gets a made-up language "xx" (its content copied from Somali with every
text marked, a small `data/nlu/xx.yml`), first without the row, then with the row added to the
copy's own bot/languages.py. With the row, everything runs in fresh processes on the copy, as a
coordinator's `bot check` and Rasa's training would, so no module can keep an older list of languages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.content.schema import TITLE_MAX
from bot.content.store import ContentError, load
from bot.settings import PROJECT_ROOT

MARK = "xx "
SO_ROW = 'Language("so", '
XX_ROW = '        Language("xx", "Madeup", "påhittat", "Xxiš", LTR, "sv_SE", "Latn"),\n'
NLU_INTENTS = ("greet", "thanks")

# Run inside the copy: `bot check` (one process for both: each start loads spaCy), then what
# training and the chat see of "xx".
PROBE = """
import json
import sys
from bot import cli
from bot.content import replies, ui_text
from bot.content.store import load
from bot.settings import CONTENT_DIR
from rasa.shared.importers.importer import TrainingDataImporter

if cli.main(["check"]) != 0:
    sys.exit("bot check failed")
content = load(CONTENT_DIR)
importer = TrainingDataImporter.load_from_config("config.yml", "domain.yml", ["data"])
examples = [(m.get("text"), m.get("intent")) for m in importer.get_nlu_data().training_examples]
print(json.dumps({
    "languages": content.languages(),
    "examples": [pair for pair in examples if (pair[0] or "").startswith("xx ")],
    "answer": replies.show(content, "somn", "xx")[-1],
    "menu": replies.languages(content, "xx")[0],
    "welcome": replies.ui(content, ui_text.WELCOME, "xx"),
}))
"""


def _marked(node: object) -> object:
    """Every text a reader sees, marked: titles, texts, steps, example questions, interface strings."""
    if isinstance(node, list):
        return [_marked(value) for value in node]
    if not isinstance(node, dict):
        return node
    marked = {key: _marked(value) for key, value in node.items()}
    for key in ("text", "steps", "examples"):
        if key in node:
            marked[key] = [MARK + s for s in node[key]] if isinstance(node[key], list) else MARK + node[key]
    if "title" in node:
        marked["title"] = (MARK + node["title"])[:TITLE_MAX]
    if "strings" in node:
        marked["strings"] = {key: MARK + text for key, text in node["strings"].items()}
    return marked


def _project_with_xx(root: Path) -> Path:
    """A copy of the project with content/xx and data/nlu/xx.yml, but no row in the table yet."""
    for folder in ("bot", "content", "data"):  # recordings (content/<lang>/audio) play no part here
        shutil.copytree(PROJECT_ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.ogg"))
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    (root / "content" / "xx").mkdir()
    for path in sorted((PROJECT_ROOT / "content" / "so").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        target = root / "content" / "xx" / path.name
        target.write_text(yaml.safe_dump(_marked(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    somali = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / "so.yml").read_text(encoding="utf-8"))
    blocks = [block for block in somali["nlu"] if block.get("intent") in NLU_INTENTS]
    for block in blocks:
        block["examples"] = "".join(f"- {MARK}{line[2:]}\n" for line in block["examples"].splitlines())
    nlu = yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False)
    (root / "data" / "nlu" / "xx.yml").write_text(nlu, encoding="utf-8")
    return root


def _add_row(root: Path) -> None:
    """The one line a developer adds: the row after Somali's."""
    table = root / "bot" / "languages.py"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    (at,) = [n for n, line in enumerate(lines) if line.strip().startswith(SO_ROW)]
    table.write_text("".join([*lines[: at + 1], XX_ROW, *lines[at + 1 :]]), encoding="utf-8")


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HALSOLOTSEN_")}
    env["HALSOLOTSEN_VAR"] = str(root / "var")
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_a_new_language_is_a_folder_its_training_data_and_one_row(tmp_path: Path) -> None:
    root = _project_with_xx(tmp_path / "project")

    with pytest.raises(ContentError, match='"xx" är inget språk'):  # not silently left out
        load(root / "content")  # this process's table, without the row

    _add_row(root)
    probe = _run(root, "-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    *checked, last = probe.stdout.splitlines()
    assert "Content OK." in checked
    rows = {line.split()[0]: line.split()[1:] for line in checked if line[:3].strip()}
    items, _reviewed, _draft, _stale, missing, ui_missing = rows["xx"][:6]  # the coverage table lists xx
    assert int(items) > 0 and (missing, ui_missing) == ("0", "0")

    seen = json.loads(last)
    assert seen["languages"][-1] == "xx"
    intents = {intent for _, intent in seen["examples"]}
    assert set(NLU_INTENTS) <= intents  # from data/nlu/xx.yml
    assert any(intent.startswith("ask_") for intent in intents)  # from content/xx examples
    assert seen["answer"]["custom"] == {"lang": "xx", "dir": "ltr", "item": "somn"}
    assert seen["answer"]["text"].startswith(MARK)
    assert {"title": "Xxiš", "payload": '/change_language{"language":"xx"}'} in seen["menu"]["buttons"]
    assert seen["welcome"].startswith(MARK)
