"""Saving content from the browser (bot/content/editing.py): the file keeps its comments and layout,
a save `bot check` would refuse writes nothing, and every save can be seen in the history and undone."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from bot.content import editing
from bot.content.coverage import translation_state
from bot.content.editing import EditRefused
from bot.content.store import load

PROJECT_CONTENT = Path(__file__).resolve().parents[2] / "content"
NEW_ARABIC = "هنا تتعلم كيف تعمل الرعاية الصحية في السويد. تعرف إلى أين تذهب عندما تكون مريضًا."


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the project's own content, comments and all."""
    return Path(shutil.copytree(PROJECT_CONTENT, tmp_path / "content"))


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'edits.db'}"


def _lines_outside(text: str, start: str, end: str) -> list[str]:
    """The file's lines without the block from the line containing `start` up to `end`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if start in line)
    last = next(i for i in range(first + 1, len(lines)) if end in lines[i])
    return lines[:first] + lines[last:]


def test_a_save_changes_only_that_item_and_keeps_every_comment(content: Path, url: str) -> None:
    path = content / "ar" / "halsoskola.yml"
    before = path.read_text(encoding="utf-8")
    today = datetime.date.today()
    translation = {"status": "reviewed", "by": "amina", "date": today.isoformat()}
    edit = editing.save_item(
        content, "ar", "varden", {"text": NEW_ARABIC, "translation": translation}, "amina", url=url
    )

    after = path.read_text(encoding="utf-8")
    assert edit.path == "ar/halsoskola.yml" and edit.who == "amina" and edit.item_id == "varden"
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert _lines_outside(before, "- id: varden", "parts:") == _lines_outside(after, "- id: varden", "parts:")
    assert "    text: >-\n      هنا تتعلم كيف تعمل الرعاية الصحية في السويد.\n      تعرف إلى أين" in after
    assert f"translation: {{status: reviewed, by: amina, date: {today.isoformat()}}}" in after
    loaded = load(content)
    assert loaded.translations["ar"]["varden"].text == NEW_ARABIC
    assert translation_state(loaded.translations["ar"]["varden"], loaded.items["varden"]) == "reviewed"


def test_a_refused_save_writes_nothing_and_says_where(content: Path, url: str) -> None:
    path = content / "ar" / "halsoskola.yml"
    before = path.read_bytes()
    too_long = "عنوان طويل جدًا " * 5
    with pytest.raises(EditRefused) as refused:
        editing.save_item(content, "ar", "varden", {"title": too_long}, "amina", url=url)
    assert path.read_bytes() == before
    assert [str(p.path) for p in refused.value.problems] == [str(path)]
    assert "rubriken är för lång" in refused.value.problems[0].message
    assert editing.check_item(content, "ar", "varden", {"title": too_long})[0].message.startswith("rubriken")
    assert editing.check_item(content, "ar", "varden", {"title": "الرعاية"}) == []
    assert editing.history(url=url) == []
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_swedish_change_makes_its_translations_stale(content: Path, url: str) -> None:
    editing.save_item(content, "sv", "varden", {"title": "Vården i hela Sverige"}, "lena", url=url)
    loaded = load(content)
    assert loaded.items["varden"].changed == datetime.date.today()
    assert translation_state(loaded.translations["ar"]["varden"], loaded.items["varden"]) == "stale"


def test_terms_go_to_the_languages_terms_file(content: Path, url: str) -> None:
    edit = editing.save_item(content, "ar", "varden", {"terms": ["مستشفى", "دكتور"]}, "amina", url=url)
    assert edit.path == "ar/terms.yml"
    assert "  varden: [مستشفى, دكتور]\n" in (content / "ar" / "terms.yml").read_text(encoding="utf-8")
    assert load(content).terms["ar"]["varden"] == ["مستشفى", "دكتور"]


def test_undo_puts_the_file_back_and_is_itself_in_the_history(content: Path, url: str) -> None:
    path = content / "ar" / "halsoskola.yml"
    before = path.read_text(encoding="utf-8")
    edit = editing.save_item(
        content, "ar", "varden_1177", {"steps": ["اتصل بـ 1177.", "اقرأ على 1177.se."]}, "amina", url=url
    )
    assert path.read_text(encoding="utf-8") != before

    back = editing.undo(content, edit.id, "omar", url=url)
    assert path.read_text(encoding="utf-8") == before
    assert back.summary == f"ångrade ändring #{edit.id}" and back.who == "omar"
    newest, first = editing.history(url=url)
    assert (newest.id, first.id, first.undone, newest.undone) == (back.id, edit.id, True, False)
    with pytest.raises(EditRefused, match="redan ångrad"):
        editing.undo(content, edit.id, "omar", url=url)


def test_undo_is_refused_after_a_later_hand_edit(content: Path, url: str) -> None:
    path = content / "ar" / "halsoskola.yml"
    edit = editing.save_item(content, "ar", "varden", {"text": NEW_ARABIC}, "amina", url=url)
    by_hand = path.read_text(encoding="utf-8").replace("# المدرسة الصحية", "# المدرسة الصحية!", 1)
    path.write_text(by_hand, encoding="utf-8")

    with pytest.raises(EditRefused) as refused:
        editing.undo(content, edit.id, "omar", url=url)
    (problem,) = refused.value.problems
    assert problem.path == path and "har ändrats efter" in problem.message
    assert path.read_text(encoding="utf-8") == by_hand
    assert [e.undone for e in editing.history(url=url)] == [False]


def test_history_by_language_and_item(content: Path, url: str) -> None:
    editing.save_item(content, "ar", "varden", {"text": NEW_ARABIC}, "amina", url=url)
    editing.save_item(content, "sv", "varden", {"examples": ["Hur fungerar vården?"]}, "lena", url=url)
    editing.save_item(content, "ar", "halsoskola", {"title": "المدرسة الصحية"}, "amina", url=url)
    assert [e.item_id for e in editing.history(url=url, lang="ar")] == ["halsoskola", "varden"]
    assert [(e.lang, e.summary) for e in editing.history(url=url, item_id="varden")] == [
        ("sv", "ändrade examples"),
        ("ar", "ändrade text"),
    ]
    assert len(editing.history(url=url, limit=1)) == 1
    (change,) = editing.changes(editing.history(url=url, lang="sv")[0].id, url=url)
    assert change.path == "sv/halsoskola.yml" and "Hur fungerar vården?" in change.after


def test_unknown_item_or_field_is_refused_in_swedish(content: Path, url: str) -> None:
    with pytest.raises(EditRefused, match="finns inte"):
        editing.save_item(content, "ar", "finns_ej", {"text": "x"}, "amina", url=url)
    with pytest.raises(EditRefused, match="går inte att ändra här"):
        editing.save_item(content, "ar", "varden", {"source": "x"}, "amina", url=url)
