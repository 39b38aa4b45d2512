"""The content editor's API: a coordinator edits a Swedish item in the browser (the page:
`bot/web/static/coordinator/redigera.html`, served at `/koordinator/redigera`).

- `GET /koordinator/api/content/items` the Swedish items to pick from, by section;
- `GET …/items/<id>` its title, text, steps, examples and terms as the YAML has them now;
- `POST …/items/<id>/check` a dry run of those fields as typed: every `bot check` problem, put at
  the field it is about, the LIX (bot.content.lix) and the answer as Telegram and the widget show it;
- `POST …/items/<id>` saves them (bot.content.editing: the YAML keeps its comments, a Swedish text
  change marks translations stale, and each save is a row of history);
- `GET /koordinator/api/content/history?item=<id>` who changed what when; `POST …/history/<n>/undo`;
- `POST /koordinator/api/insights/examples` a kept question becomes an example of an item, in
  its own language (the insights page's "Lägg till som exempel").

The YAML files stay the source of truth: every read is from the files as they are now, so a
hand edit shows at once, and the running assistant picks up a save like a hand edit. Only the
content team (a coordinator account for every municipality, "*") may change content, as only
they read the kept questions (bot/web/insights.py). The audit log names who changed which item
("<lang>/<id>"), never what it says.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.accounts.auth import ACCOUNT, require
from bot.content import editing, lix, replies
from bot.content.check import TERMS_FILE, Problem, walk
from bot.content.store import Content
from bot.handoff import audit
from bot.languages import SOURCE_LANGUAGE
from bot.storage.database import run
from bot.web.content_api import CONTENT_STORE, unknown_language
from bot.web.http import NO_STORE, error, read_json
from bot.web.well_formed import repaired

MAX_BODY_BYTES = 64 * 1024
MAX_EXAMPLE_CHARS = 300
HISTORY_LIMIT = 30
MAX_PROBLEMS_SHOWN = 3
MORE_PROBLEMS = "… och {more} problem till, ofta följder av ett fel ovan."
FOLLOW_ON = "{count} fel i andra ämnen följer av felet ovan. De försvinner när du rättar det."
NOT_CONTENT_TEAM = "Bara innehållsteamet (konton för alla kommuner) kan ändra innehållet."
HARD_TO_READ = "Texten är svår att läsa (LIX {score:.0f}, gränsen är {limit}). Skriv kortare meningar och kortare ord."
TEXT_FIELDS = ("title", "text")
LIST_FIELDS = ("steps", "examples", "terms")
# Words in a `bot check` message that say which field it is about (bot/content/check.py's wording).
FIELD_WORDS = {
    "title": ("title", "rubrik"),
    "text": ("text (svaret)", "svår att läsa"),
    "steps": ("steps", "steg"),
    "examples": ("examples", "exempelfråga"),
}


@dataclasses.dataclass
class Editing:
    """The content folder the editor writes; bot.content.editing makes saves one at a time."""

    content_dir: Path


EDITING = web.AppKey("editing", Editing)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def content_team(handler: Handler) -> Handler:
    """Coordinators who serve every municipality only: the others get a 403 that says why."""

    @require("coordinator")
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not request[ACCOUNT].serves_every_municipality:
            return error(403, "not_content_team", NOT_CONTENT_TEAM)
        return await handler(request)

    return guarded


async def _content(request: web.Request) -> Content:
    """The content as the files say now (a hand edit or another save a moment ago); the last good
    version while a file is broken. Reloaded only when a file changed."""
    return await asyncio.to_thread(request.app[CONTENT_STORE].refresh)


def _fields(content: Content, item_id: str) -> dict[str, Any]:
    item = content.items[item_id]
    terms = content.terms.get(SOURCE_LANGUAGE, {}).get(item_id, [])
    return {"title": item.title, "text": item.text, "steps": item.steps, "examples": item.examples, "terms": terms}


def _typed(body: Any) -> dict[str, Any] | None:
    """The editable fields of a request body, each of its own type; None when any is not."""
    fields = body.get("fields") if isinstance(body, dict) else None
    if not isinstance(fields, dict) or not set(fields) <= {*TEXT_FIELDS, *LIST_FIELDS}:
        return None
    typed: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS and isinstance(value, str):
            typed[name] = repaired(value)
        elif name in LIST_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            typed[name] = [repaired(v).strip() for v in value if v.strip()]
        else:
            return None
    return typed


def _field_of(problem: Problem) -> str:
    """The editor field a `bot check` problem is about, or "item" when the words do not say."""
    if problem.path.name == TERMS_FILE:
        return "terms"
    message = problem.message.casefold()
    return next((field for field, words in FIELD_WORDS.items() if any(w in message for w in words)), "item")


def _placed(problems: list[Problem]) -> dict[str, list[str]]:
    """The messages by field, the first few of each. An item that no longer passes the schema
    fails its whole file, and then every link to the file's items (and every word for them in
    terms.yml) fails too: a hundred messages that are one mistake. So when a field of this item
    has a problem, the rest are shown as one line of follow-on errors; otherwise each field lists
    a few and says how many more there are."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        placed.setdefault(_field_of(problem), []).append(problem.message)
    if any(field in FIELD_WORDS for field in placed):
        follow_on = sum(len(placed.pop(field)) for field in [f for f in placed if f not in FIELD_WORDS])
        if follow_on:
            placed["item"] = [FOLLOW_ON.format(count=follow_on)]
    for field, messages in placed.items():
        if len(messages) > MAX_PROBLEMS_SHOWN:
            more = len(messages) - MAX_PROBLEMS_SHOWN
            placed[field] = [*messages[:MAX_PROBLEMS_SHOWN], MORE_PROBLEMS.format(more=more)]
    return placed


def _preview(content: Content, item_id: str, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer's messages (bot.content.replies) as the edited item would give them."""
    shown = {name: fields[name] for name in ("title", "text", "steps") if name in fields}
    edited = content.items[item_id].copy(update=shown)
    version = dataclasses.replace(content, items={**content.items, item_id: edited})
    return replies.answer(version, item_id, SOURCE_LANGUAGE, rate=True)


def _lix(content: Content, item_id: str, fields: dict[str, Any]) -> tuple[float, list[str]]:
    """The Swedish answer's LIX as edited, and the problem when it is over the limit. `bot check`
    measures it with spaCy, which the web server lacks (bot.content.editing leaves it out there),
    so the editor checks it here with bot.content.lix, before a save as well as while typing."""
    item = content.items[item_id]
    score = lix.lix(lix.as_sentences(fields.get("text", item.text), fields.get("steps", item.steps)))
    over = [HARD_TO_READ.format(score=score, limit=lix.LIX_LIMIT)] if score > lix.LIX_LIMIT else []
    return score, over


def _checked(content_dir: Path, content: Content, item_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The dry run: problems by field, the LIX, and the preview."""
    placed = _placed(editing.check_item(content_dir, SOURCE_LANGUAGE, item_id, fields))
    score, over = _lix(content, item_id, fields)
    if over:
        placed.setdefault("text", []).extend(over)
    return {"problems": placed, "lix": score, "lix_limit": lix.LIX_LIMIT, "preview": _preview(content, item_id, fields)}


def as_json(edit: editing.Edit) -> dict[str, Any]:
    shown = dataclasses.asdict(edit)
    shown["at"] = edit.at.replace(tzinfo=edit.at.tzinfo or dt.timezone.utc).isoformat()
    return shown


def _refused(refused: editing.EditRefused) -> web.Response:
    return _not_saved(_placed(refused.problems))


def _not_saved(placed: dict[str, list[str]]) -> web.Response:
    """A 422 with every problem, by field, for the page to show where each belongs."""
    message = "Inget sparades. " + " ".join(message for messages in placed.values() for message in messages)
    return web.json_response({"error": "refused", "message": message, "problems": placed}, status=422)


async def _audit(request: web.Request, action: str, lang: str, item_id: str) -> None:
    await run(partial(audit.write, subject=f"{lang}/{item_id}"), request[ACCOUNT].username, action, None)


def _item_id(request: web.Request, content: Content) -> str | None:
    item_id = request.match_info["item_id"]
    return item_id if item_id in content.items else None


def _no_item(item_id: str) -> web.Response:
    return error(404, "unknown_item", f'Ämnet "{item_id}" finns inte.')


@content_team
async def items(request: web.Request) -> web.Response:
    """GET: every Swedish item, lesson parts under their lesson, grouped by section."""
    content = request.app[CONTENT_STORE].get()
    sections = [
        {
            "id": section.id,
            "title": section.title,
            "items": [
                {"id": node.id, "title": node.title}
                for node in walk([content.items[i] for i in content.section_items[section.id]])
            ],
        }
        for section in content.sections
    ]
    return web.json_response({"sections": sections}, headers=NO_STORE)


@content_team
async def item(request: web.Request) -> web.Response:
    """GET: the item's fields as the files have them now, and their check."""
    content = await _content(request)
    item_id = _item_id(request, content)
    if item_id is None:
        return _no_item(request.match_info["item_id"])
    fields = _fields(content, item_id)
    checked = await asyncio.to_thread(_checked, request.app[EDITING].content_dir, content, item_id, fields)
    return web.json_response({"id": item_id, "fields": fields, "check": checked}, headers=NO_STORE)


async def _posted(request: web.Request) -> tuple[Content, str, dict[str, Any]] | web.Response:
    """The content, the item named in the path and the fields in the body; or the error to send."""
    content = request.app[CONTENT_STORE].get()
    item_id = _item_id(request, content)
    if item_id is None:
        return _no_item(request.match_info["item_id"])
    fields = _typed(await read_json(request, MAX_BODY_BYTES))
    if fields is None:
        return error(400, "bad_fields", "Skicka fälten title, text, steps, examples och terms.")
    return content, item_id, fields


@content_team
async def check(request: web.Request) -> web.Response:
    """POST {"fields": {...}}: the dry run, nothing written (the page asks as the coordinator types)."""
    posted = await _posted(request)
    if isinstance(posted, web.Response):
        return posted
    content, item_id, fields = posted
    checked = await asyncio.to_thread(_checked, request.app[EDITING].content_dir, content, item_id, fields)
    return web.json_response(checked, headers=NO_STORE)


@content_team
async def save(request: web.Request) -> web.Response:
    """POST {"fields": {...}}: writes the item to its YAML file if it passes the checks."""
    posted = await _posted(request)
    if isinstance(posted, web.Response):
        return posted
    content, item_id, fields = posted
    _, over = _lix(content, item_id, fields)
    if over:
        return _not_saved({"text": over})
    editor = request.app[EDITING]
    who = request[ACCOUNT].username
    try:
        edit = await asyncio.to_thread(editing.save_item, editor.content_dir, SOURCE_LANGUAGE, item_id, fields, who)
    except editing.EditRefused as refused:
        return _refused(refused)
    await _audit(request, "content_saved", SOURCE_LANGUAGE, item_id)
    return web.json_response({"edit": as_json(edit)}, headers=NO_STORE)


@content_team
async def history(request: web.Request) -> web.Response:
    """GET ?item=<id>: the latest changes (of that item, in every language), newest first."""
    item_id = request.query.get("item") or None
    edits = await asyncio.to_thread(editing.history, item_id=item_id, limit=HISTORY_LIMIT)
    return web.json_response({"edits": [as_json(edit) for edit in edits]}, headers=NO_STORE)


@content_team
async def undo(request: web.Request) -> web.Response:
    """POST: the change is taken back (itself a new row of history)."""
    raw = request.match_info["edit_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return error(404, "unknown_edit", "Ändringen finns inte.")
    editor = request.app[EDITING]
    try:
        edit = await asyncio.to_thread(editing.undo, editor.content_dir, int(raw), request[ACCOUNT].username)
    except editing.EditRefused as refused:
        return _refused(refused)
    await _audit(request, "content_undone", edit.lang, edit.item_id)
    return web.json_response({"edit": as_json(edit)}, headers=NO_STORE)


@content_team
async def add_example(request: web.Request) -> web.Response:
    """POST {"lang", "item", "text"}: a kept question becomes an example question of the item, in
    the question's language; retrieval uses it at once, the next training learns it."""
    body = await read_json(request, MAX_BODY_BYTES)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("lang", "item", "text")):
        return error(400, "bad_request", "Skicka lang, item och text.")
    content = await _content(request)
    lang, item_id, text = body["lang"], body["item"], " ".join(repaired(body["text"]).split())
    if lang not in content.languages():
        return unknown_language(content.languages())
    if item_id not in content.items:
        return _no_item(item_id)
    node = content.items[item_id] if lang == SOURCE_LANGUAGE else content.translations.get(lang, {}).get(item_id)
    if node is None:
        return error(409, "not_translated", "Ämnet finns inte på det språket än. Översätt det först.")
    if not text or len(text) > MAX_EXAMPLE_CHARS:
        return error(400, "bad_text", f"Exemplet ska ha 1 till {MAX_EXAMPLE_CHARS} tecken.")
    if text in node.examples:
        return error(409, "already_there", "Frågan är redan ett exempel på ämnet.")
    editor, who = request.app[EDITING], request[ACCOUNT].username
    fields = {"examples": [*node.examples, text]}
    try:
        edit = await asyncio.to_thread(editing.save_item, editor.content_dir, lang, item_id, fields, who)
    except editing.EditRefused as refused:
        return _refused(refused)
    await _audit(request, "content_example_added", lang, item_id)
    return web.json_response({"edit": as_json(edit)}, headers=NO_STORE)
