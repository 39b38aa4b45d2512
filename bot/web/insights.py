"""The insights API for coordinators: `GET /koordinator/api/insights?weeks=12&lang=ar`.

It lives under /koordinator/api so the login cookie (path /koordinator) reaches it; the page
(bot/web/static/coordinator/insikter.html) holds no data and shows its own login form when this says 401.
Looks are written to the audit log like looks at hand-off requests (once per window per person).

The counts (language, nearest topic, week; 👍/👎 per answer) name nobody and every coordinator sees them. The texts
participants allowed us to keep do not say which municipality they came from, so only accounts
serving every municipality ("*": the content team) read them; a municipality's coordinators get
the counts with `texts_shown: false` (issue 17: each municipality sees only what it needs).

The content team also gets, per topic, the items a kept question may become an example of
(`choices`: the nearest topic, then its lesson, parts and related items), for "Lägg till som
exempel på …" (bot/web/editor.py, add_example).
"""

from __future__ import annotations

from aiohttp import web

from bot import languages
from bot.accounts.auth import ACCOUNT, require
from bot.content.store import Content
from bot.handoff import audit
from bot.insights import store
from bot.storage.database import run
from bot.web.content_api import CONTENT_STORE
from bot.web.http import NO_STORE, error

MAX_CHOICES = 5
MAX_WEEKS = 53
DEFAULT_WEEKS = 12
AUDIT_ACTION = "view_insights"


@require("coordinator")
async def insights(request: web.Request) -> web.Response:
    """The summary (bot/insights/store.py) with each language's own name, for the filter."""
    content = request.app[CONTENT_STORE].get()
    weeks = request.query.get("weeks", str(DEFAULT_WEEKS))
    if not weeks.isdigit() or not 1 <= int(weeks) <= MAX_WEEKS:
        return error(400, "bad_weeks", f"Välj från 1 till {MAX_WEEKS} veckor.")
    lang = request.query.get("lang") or None
    if lang is not None and lang not in content.languages():
        return error(400, "unknown_language", f"Språket finns inte. Välj ett av: {', '.join(content.languages())}.")
    summary = await run(store.summary, int(weeks), lang)
    account = request[ACCOUNT]
    await run(audit.write_look, account.username, AUDIT_ACTION, None)
    summary["texts_shown"] = account.serves_every_municipality
    for group in summary["languages"]:
        for topic in group["topics"]:
            if not summary["texts_shown"]:
                topic["examples"] = []
            topic["choices"] = _choices(content, topic["topic"]) if summary["texts_shown"] else []
    summary["language"] = lang
    for row in summary["suggestion_taps"] + summary["ratings"]:
        row["title"] = content.items[row["item"]].title if row["item"] in content.items else row["item"]
    summary["language_names"] = {code: languages.coordinator_name(code) for code in content.languages()}
    return web.json_response(summary, headers=NO_STORE)


def _choices(content: Content, topic: str | None) -> list[dict[str, str]]:
    """The items nearest a question's topic: the topic itself, its lesson, its parts, its related items.
    Only one nearest topic is stored per question (bot/insights/models.py), so its neighbours in
    the content are the other choices."""
    item = content.items.get(topic or "")
    if item is None:
        return []
    near = [item.id, content.parent.get(item.id, ""), *(part.id for part in item.parts), *item.related]
    ids = [node_id for node_id in dict.fromkeys(near) if node_id in content.items][:MAX_CHOICES]
    return [{"id": node_id, "title": content.items[node_id].title} for node_id in ids]
