"""The one place that writes content YAML from the browser: check, save, history and undo.

Coordinators and native communicators edit a text in a page; the YAML files stay the source of
truth, so a save rewrites the file in place, keeping its comments and layout (ruamel.yaml's
round trip), and people who edit the files by hand keep doing so. A save is refused, writing
nothing, when `bot check`'s checks find any problem in the result (the same file:line messages in
Swedish), so the running assistant never meets a broken file from here: it picks the new file up
by its signature (bot.content.store.ContentStore). Every save is recorded with both texts of every
file it touched (table `content_edits`), so it can be shown and undone.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from sqlalchemy import select

from bot.content.check import TERMS_FILE, UI_FILE, Problem
from bot.content.store import ContentError, load
from bot.handoff.models import ContentEdit
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.settings import DATABASE_URL
from bot.storage.database import transaction

TEXT_FIELDS = ("title", "text")
LIST_FIELDS = ("steps", "examples", "triggers")
FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "terms", "translation")
# A change to these in Swedish means every translation must be looked at again (bot.content.coverage).
SOURCE_FIELDS = ("title", "text", "steps")
# A text longer than this is written folded (">-"), one sentence a line, like the hand-written files.
FOLD_OVER = 60


class EditRefused(Exception):  # noqa: N818 - the name other modules and pages know it by
    """Nothing was written; `problems` are bot check's Problems (file:line, Swedish words)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Edit:
    """One row of history: who saved what, when; `path` is relative to the content folder."""

    id: int
    at: datetime.datetime
    who: str
    lang: str
    path: str
    item_id: str
    summary: str
    undone: bool


@dataclass(frozen=True)
class FileChange:
    """One file's whole text before and after an edit; `path` is relative to the content folder."""

    path: str
    before: str
    after: str


def _yaml() -> YAML:
    """Round-trip YAML set to the layout of the content files, so an unchanged file dumps byte for byte."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # never wrap: a folded text breaks where fold_pos says, at sentence ends
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _dump(document: Any) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def _node(document: Any, item_id: str) -> CommentedMap | None:
    """The section or the item (at any depth of parts) with this id in one loaded file."""
    if not isinstance(document, CommentedMap):
        return None
    section = document.get("section")
    if isinstance(section, CommentedMap) and section.get("id") == item_id:
        return section
    stack = list(document.get("items") or [])
    while stack:
        item = stack.pop(0)
        if isinstance(item, CommentedMap):
            if item.get("id") == item_id:
                return item
            stack[:0] = list(item.get("parts") or [])
    return None


def _find(folder: Path, item_id: str) -> tuple[Path, Any, CommentedMap] | None:
    for path in sorted(p for p in folder.glob("*.yml") if p.name not in (UI_FILE, TERMS_FILE)):
        try:
            document = _yaml().load(path.read_text(encoding="utf-8"))
        except YAMLError:
            document = None  # a broken file is reported by the check, not here
        node = _node(document, item_id)
        if node is not None:
            return path, document, node
    return None


def _sentence_folded(text: str) -> FoldedScalarString:
    """A folded text with a line break after every sentence, as coordinators write them."""
    folded = FoldedScalarString(text)
    folded.fold_pos = [
        i for i in range(1, len(text) - 1) if text[i] == " " and text[i - 1] in ".!?" and text[i + 1] != " "
    ]
    return folded


def _styled(old: Any, new: str) -> str:
    """The new text in the style of the old one: folded or literal stays so; a long text folds."""
    new = " ".join(new.split())
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    if isinstance(old, FoldedScalarString) or len(new) > FOLD_OVER:
        return _sentence_folded(new)
    return new


def _set(node: CommentedMap, key: str, value: Any, after: tuple[str, ...]) -> None:
    """Sets `key`, or inserts it after the last of `after` that the node has (else before its parts)."""
    if key in node:
        node[key] = value
        return
    keys = list(node)
    present = [keys.index(k) for k in after if k in node]
    position = max(present) + 1 if present else (keys.index("parts") if "parts" in node else len(keys))
    node.insert(position, key, value)


def _list(old: Any, new: list[str]) -> CommentedSeq:
    """The old list changed in place (its comments and flow style stay), or a new block list."""
    seq = old if isinstance(old, CommentedSeq) else CommentedSeq()
    del seq[len(new) :]
    for index, value in enumerate(new):
        if index < len(seq):
            seq[index] = value
        else:
            seq.append(value)
    return seq


def _wrong_shape(path: Path, field: str, value: Any) -> Problem | None:
    if field in TEXT_FIELDS and not isinstance(value, str):
        return Problem(path, 1, f"{field} ska vara en text.")
    if field in (*LIST_FIELDS, "terms") and not (
        isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    ):
        return Problem(path, 1, f"{field} ska vara en lista med texter.")
    if field == "translation" and not (isinstance(value, Mapping) and set(value) == {"status", "by", "date"}):
        return Problem(path, 1, "translation ska ha status, by och date.")
    return None


def _date(value: Any) -> datetime.date | Any:
    """An ISO date as a date, so the file gets `2026-12-06` unquoted; anything else for the check to name."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _plan(
    content_dir: Path, lang: str, item_id: str, fields: Mapping[str, Any], today: datetime.date
) -> tuple[list[FileChange], list[str]]:
    """The files' texts after the edit and the names of the fields that change; EditRefused when
    the request itself is wrong (unknown language, item or field, or a value of the wrong shape)."""
    folder = content_dir / lang
    if lang not in LANGUAGES or not folder.is_dir():
        raise EditRefused([Problem(folder, 1, f'"{lang}" är inget språk i innehållet.')])
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise EditRefused([Problem(folder, 1, f'fältet "{name}" går inte att ändra här.') for name in unknown])
    found = _find(folder, item_id)
    if found is None:
        raise EditRefused([Problem(folder, 1, f'"{item_id}" finns inte på språket {lang}.')])
    path, document, node = found
    shape = [p for p in (_wrong_shape(path, f, v) for f, v in fields.items()) if p is not None]
    if shape:
        raise EditRefused(shape)
    changed: list[str] = []
    for field in (*TEXT_FIELDS, *LIST_FIELDS):
        if field not in fields:
            continue
        old = node.get(field)
        if field in TEXT_FIELDS:
            new_text = " ".join(fields[field].split())
            if str(old or "") != new_text:
                node[field] = _styled(old, new_text)
                changed.append(field)
        else:
            new_list = [" ".join(v.split()) for v in fields[field]]
            if list(old or []) == new_list:
                continue
            changed.append(field)
            if new_list:
                _set(node, field, _list(old, new_list), after=FIELDS[: FIELDS.index(field)])
            else:
                del node[field]
    if "translation" in fields:
        new = {k: _date(fields["translation"][k]) for k in ("status", "by", "date")}
        old = node.get("translation")
        if not isinstance(old, CommentedMap) or dict(old) != new:
            mapping = old if isinstance(old, CommentedMap) else CommentedMap()
            if not isinstance(old, CommentedMap):
                mapping.fa.set_flow_style()
            mapping.update(new)
            _set(node, "translation", mapping, after=FIELDS)
            changed.append("translation")
    is_item = node is not document.get("section")
    if lang == SOURCE_LANGUAGE and is_item and any(f in SOURCE_FIELDS for f in changed):
        _set(node, "changed", today, after=("reviewed", "source"))
    changes = []
    if changed:
        changes.append(_change(content_dir, path, _dump(document)))
    if "terms" in fields:
        terms_change = _terms_change(content_dir, folder / TERMS_FILE, item_id, list(fields["terms"]))
        if terms_change is not None:
            changes.append(terms_change)
            changed.append("terms")
    return changes, changed


def _change(content_dir: Path, path: Path, after: str) -> FileChange:
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    return FileChange(str(path.relative_to(content_dir)), before, after)


def _terms_change(content_dir: Path, path: Path, item_id: str, words: list[str]) -> FileChange | None:
    """The language's terms.yml with this item's words replaced (a flow list, like the file's own)."""
    document = _yaml().load(path.read_text(encoding="utf-8")) if path.exists() else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    terms = document.get("terms")
    if not isinstance(terms, CommentedMap):
        terms = document["terms"] = CommentedMap()
    words = [" ".join(w.split()) for w in words]
    if list(terms.get(item_id) or []) == words:
        return None
    if words:
        seq = _list(terms.get(item_id), words)
        if item_id not in terms:
            seq.fa.set_flow_style()
        terms[item_id] = seq
    elif item_id in terms:
        del terms[item_id]
    return _change(content_dir, path, _dump(document))


def _readability(root: Path) -> list[Problem]:
    """LIX of the Swedish answers, where spaCy is installed (the Rasa side and `bot check`). The web
    server's Python has no spaCy (tests/test_runtimes.py), so there `bot check` and CI catch it."""
    try:
        from bot.content import readability
    except ImportError:
        return []
    return readability.problems(root)


def _problems(content_dir: Path, changes: list[FileChange]) -> list[Problem]:
    """What `bot check` would report with these files saved, checked on a temporary copy of the
    content folder; paths name the real files."""
    with tempfile.TemporaryDirectory(prefix="content-check-") as scratch:
        root = Path(scratch) / "content"
        shutil.copytree(content_dir, root, ignore=_only_yaml)
        for change in changes:
            (root / change.path).parent.mkdir(parents=True, exist_ok=True)
            (root / change.path).write_text(change.after, encoding="utf-8")
        try:
            load(root)
            found = _readability(root)
        except ContentError as error:
            found = error.problems
        return [Problem(_real(p.path, root, content_dir), p.line, p.message) for p in found]


def _only_yaml(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not (n.endswith(".yml") or (Path(folder) / n).is_dir())]


def _real(path: Path, root: Path, content_dir: Path) -> Path:
    try:
        return content_dir / Path(path).relative_to(root)
    except ValueError:
        return Path(path)


def _write(content_dir: Path, path: str, text: str) -> None:
    """Atomically: a reader (the assistant's store, a person) sees the old file or the new one, never half."""
    target = content_dir / path
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(content_dir: Path) -> Iterator[None]:
    """One save at a time per content folder, across processes: two saves of one file must not
    each start from the text before the other."""
    handle = os.open(content_dir, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def _commit(
    content_dir: Path, changes: list[FileChange], row: ContentEdit, url: str, undoes: int | None = None
) -> Edit:
    """Writes the files and records the edit as one step: if recording fails, the old files are back."""
    written: list[FileChange] = []
    try:
        with transaction(url) as session:
            session.add(row)
            if undoes is not None:
                session.get(ContentEdit, undoes).undone = True
            session.flush()
            for change in changes:
                _write(content_dir, change.path, change.after)
                written.append(change)
            edit = _edit(row)
    except BaseException:
        for change in written:
            _write(content_dir, change.path, change.before)
        raise
    return edit


def _edit(row: ContentEdit) -> Edit:
    return Edit(row.id, row.at, row.who, row.lang, row.path, row.item_id, row.summary, bool(row.undone))


def check_item(content_dir: Path, lang: str, item_id: str, fields: Mapping[str, Any]) -> list[Problem]:
    """Dry run: the problems bot check would report if `fields` were saved (for as-you-type checks)."""
    try:
        changes, _ = _plan(content_dir, lang, item_id, fields, datetime.date.today())
    except EditRefused as refused:
        return refused.problems
    return _problems(content_dir, changes)


def save_item(
    content_dir: Path, lang: str, item_id: str, fields: Mapping[str, Any], who: str, *, url: str | None = None
) -> Edit:
    """Replace the given fields of item (or part, or section) `item_id` in content/<lang>/, keeping
    comments and layout (ruamel.yaml round-trip); refused with EditRefused, writing nothing, when bot
    check finds any problem in the result. Records history (who, when, what, file text before and after).

    Fields: title, text, steps, examples, triggers (lists replace lists); terms (to <lang>/terms.yml);
    translation ({status, by, date}) for a translated text. A Swedish change of title, text or
    steps sets `changed: <today>` on the item, so its translations turn stale."""
    with _locked(content_dir):
        changes, changed = _plan(content_dir, lang, item_id, fields, datetime.date.today())
        if not changes:
            folder = content_dir / lang
            raise EditRefused([Problem(folder, 1, "inget att spara: texten är redan så.")])
        problems = _problems(content_dir, changes)
        if problems:
            raise EditRefused(problems)
        row = ContentEdit(
            who=who,
            lang=lang,
            path=changes[0].path,
            item_id=item_id,
            summary=f"ändrade {', '.join(changed)}",
            files=json.dumps([c.__dict__ for c in changes], ensure_ascii=False),
            undone=False,
        )
        return _commit(content_dir, changes, row, url or DATABASE_URL)


def history(
    *, url: str | None = None, lang: str | None = None, item_id: str | None = None, limit: int = 50
) -> list[Edit]:
    """The newest edits first, of one language and/or one item if given."""
    query = select(ContentEdit).order_by(ContentEdit.id.desc()).limit(limit)
    if lang is not None:
        query = query.where(ContentEdit.lang == lang)
    if item_id is not None:
        query = query.where(ContentEdit.item_id == item_id)
    with transaction(url or DATABASE_URL) as session:
        return [_edit(row) for row in session.scalars(query)]


def changes(edit_id: int, *, url: str | None = None) -> list[FileChange]:
    """Every file an edit touched, with its whole text before and after (to show what changed)."""
    with transaction(url or DATABASE_URL) as session:
        row = session.get(ContentEdit, edit_id)
        return [] if row is None else [FileChange(**change) for change in json.loads(row.files)]


def undo(content_dir: Path, edit_id: int, who: str, *, url: str | None = None) -> Edit:
    """Puts the file back as it was before that edit, itself recorded as an edit; refused (EditRefused
    with one clear Swedish problem) if the file changed since."""
    url = url or DATABASE_URL
    with _locked(content_dir):
        with transaction(url) as session:
            row = session.get(ContentEdit, edit_id)
            if row is None:
                raise EditRefused([Problem(content_dir, 1, f"ändring #{edit_id} finns inte.")])
            original = _edit(row)
            files = [FileChange(**change) for change in json.loads(row.files)]
        if original.undone:
            raise EditRefused([Problem(content_dir / original.path, 1, f"ändring #{edit_id} är redan ångrad.")])
        for change in files:
            path = content_dir / change.path
            now = path.read_text(encoding="utf-8") if path.exists() else ""
            if now != change.after:
                message = (
                    f"filen har ändrats efter ändring #{edit_id} (för hand eller i en senare ändring), "
                    "så den går inte att ångra. Ändra texten igen i stället."
                )
                raise EditRefused([Problem(path, 1, message)])
        back = [FileChange(c.path, c.after, c.before) for c in files]
        problems = _problems(content_dir, back)
        if problems:
            raise EditRefused(problems)
        row = ContentEdit(
            who=who,
            lang=original.lang,
            path=original.path,
            item_id=original.item_id,
            summary=f"ångrade ändring #{edit_id}",
            files=json.dumps([c.__dict__ for c in back], ensure_ascii=False),
            undone=False,
        )
        return _commit(content_dir, back, row, url, undoes=edit_id)
