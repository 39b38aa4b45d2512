"""The review studio's API, on the recording page: a native communicator reads each translated text
beside its Swedish source, approves it as it is or corrects and approves it, then records it.

- `GET /koordinator/api/studio?lang=ar` the texts of a language that need a person (stale first,
  then drafts, each in content order) with their Swedish source, and the language's progress
  (reviewed, stale, draft, missing; recorded, synthetic, no audio: what `bot check` prints);
- `POST /koordinator/api/studio/<lang>/<id>/approve` with `{"title", "text", "steps"}` (the fields
  the communicator corrected, or `{}`): saved through bot/content/editing.py, which keeps the
  file's comments, refuses what `bot check` would refuse (422 with its Swedish problems) and keeps
  the history; the text gets `translation: {status: reviewed, by: <account>, date: <today>}`.

The same people as on the recording page, scoped the same way (Account.records: a recorder only in
the account's languages) and audited ("translation_reviewed", "<lang>/<id>", never the text). The
running assistant picks the new file up by its signature (bot.content.store.ContentStore); this
server's own store is refreshed at once, so the recording list shows the corrected text.
"""

from __future__ import annotations

import asyncio
import datetime
from collections import Counter
from functools import partial
from typing import Any

from aiohttp import web

from bot import languages
from bot.accounts.auth import ACCOUNT, require
from bot.audio import library
from bot.content import coverage, editing
from bot.content.store import Content
from bot.handoff import audit
from bot.storage.database import run
from bot.web.content_api import CONTENT_STORE, unknown_language
from bot.web.http import NO_STORE, error, read_json
from bot.web.recording import FOLDERS, ROLES

EDITABLE = ("title", "text", "steps")
MAX_BODY_BYTES = 64 * 1024
ORDER = {"stale": 0, "draft": 1}  # what needs a person; reviewed and missing texts are not listed


def _kind(content: Content, node_id: str) -> str:
    if node_id in content.section_items:
        return "section"
    return "part" if content.parent.get(node_id) in content.items else "item"


def _shown(node: Any) -> dict:
    return {"title": node.title, "text": node.text, "steps": list(getattr(node, "steps", []))}


def _texts(content: Content, lang: str) -> list[dict]:
    """Stale translations first, then drafts, each in content order, beside their Swedish source."""
    found = []
    translated = content.translations.get(lang, {})
    for node_id in [s.id for s in content.sections] + list(content.items):
        translation, original = translated.get(node_id), content.items.get(node_id)
        state = coverage.translation_state(translation, original)
        if state not in ORDER:
            continue
        source = original or next(s for s in content.sections if s.id == node_id)
        entry = {"id": node_id, "kind": _kind(content, node_id), "state": state, "source": _shown(source)}
        entry |= {"translation": _shown(translation), "by": translation.translation.by}
        found.append(entry)
    return sorted(found, key=lambda entry: ORDER[entry["state"]])


def _progress(content: Content, lang: str, audio: Counter) -> dict:
    row = next(row for row in coverage.coverage(content) if row.lang == lang)
    return {
        "texts": row.items,
        "reviewed": row.reviewed,
        "stale": row.stale,
        "draft": row.draft,
        "missing": row.missing,
        "recorded": audio[(lang, "recorded")],
        "synthetic": audio[(lang, "generated")],
        "no_audio": audio[(lang, "missing")],
    }


def _refusal(request: web.Request, lang: str) -> web.Response | None:
    content = request.app[CONTENT_STORE].get()
    if lang not in content.languages():
        return unknown_language(content.languages())
    if not request[ACCOUNT].records(lang):
        return error(403, "language_not_allowed", f"Your account does not review {lang}.")
    return None


@require(*ROLES)
async def listing(request: web.Request) -> web.Response:
    """GET ?lang=xx: {"lang", "dir", "progress": {...}, "texts": [{"id", "kind", "state", "source",
    "translation", "by"}]}; Swedish is the source, so its list is empty."""
    lang = request.query.get("lang", "")
    refused = _refusal(request, lang)
    if refused is not None:
        return refused
    content = request.app[CONTENT_STORE].get()
    audio, _ = await asyncio.to_thread(library.coverage, content, request.app[FOLDERS].audio)
    texts = [] if lang == languages.SOURCE_LANGUAGE else _texts(content, lang)
    progress = _progress(content, lang, audio)
    answer = {"lang": lang, "dir": languages.direction(lang), "progress": progress, "texts": texts}
    return web.json_response(answer, headers=NO_STORE)


def _fields(body: object) -> dict | None:
    """The corrected fields of the body, or None when it is not that shape."""
    if not isinstance(body, dict) or not set(body) <= set(EDITABLE):
        return None
    if not all(isinstance(body[k], str) for k in ("title", "text") if k in body):
        return None
    if "steps" in body and not (isinstance(body["steps"], list) and all(isinstance(s, str) for s in body["steps"])):
        return None
    return dict(body)


@require(*ROLES)
async def approve(request: web.Request) -> web.Response:
    """POST: the text (corrected, if the body says so) is reviewed by this account, today."""
    lang, node_id = request.match_info["lang"], request.match_info["node_id"]
    refused = _refusal(request, lang)
    if refused is not None:
        return refused
    store = request.app[CONTENT_STORE]
    if lang == languages.SOURCE_LANGUAGE or node_id not in store.get().translations.get(lang, {}):
        return error(404, "unknown_text", f"{lang} has no translated text with the id {node_id!r}.")
    fields = _fields(await read_json(request, MAX_BODY_BYTES))
    if fields is None:
        return error(400, "bad_body", "Send the corrected title, text and steps as JSON, or {}.")
    username = request[ACCOUNT].username
    fields["translation"] = {"status": "reviewed", "by": username, "date": datetime.date.today()}
    content_dir = request.app[FOLDERS].recordings
    try:
        edit = await run(partial(editing.save_item, content_dir, lang, node_id, fields, username))
    except editing.EditRefused as refusal:
        problems = [{"line": p.line, "message": p.message} for p in refusal.problems]
        message = " ".join(p.message for p in refusal.problems)
        return web.json_response({"error": "content_problem", "message": message, "problems": problems}, status=422)
    await run(partial(audit.write, subject=f"{lang}/{node_id}"), username, "translation_reviewed", None)
    content = await asyncio.to_thread(store.refresh)
    translated = content.translations[lang][node_id]
    answer = {"id": node_id, "lang": lang, "state": "reviewed", "edit": edit.id, "translation": _shown(translated)}
    return web.json_response(answer, headers=NO_STORE)
