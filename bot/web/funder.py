"""The funder's monthly summary for coordinators: `GET /koordinator/api/summary?month=2026-12`,
and with `&format=csv` the same as a file to download.

The counts (bot/insights/usage.py) name nobody. Conversations, languages, topics and emergency
answers are for the whole installation: a participant tells us their municipality only in a
hand-off request, so only the hand-off figures are per municipality, and a coordinator sees those
only for the municipalities their account serves ("*": all), like the requests themselves.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from bot import languages
from bot.accounts.auth import ACCOUNT, require
from bot.content.store import Content
from bot.insights import usage
from bot.storage.database import run
from bot.web.content_api import CONTENT_STORE
from bot.web.http import NO_STORE, error


@require("coordinator")
async def summary(request: web.Request) -> web.Response:
    """The month's summary as JSON, or as CSV with `format=csv`; this month if none is named."""
    month = request.query.get("month") or dt.date.today().strftime("%Y-%m")
    try:
        usage.month_range(month)
    except ValueError:
        return error(400, "bad_month", "Skriv månaden som år-månad, till exempel 2026-12.")
    wanted = request.query.get("format", "json")
    if wanted not in ("json", "csv"):
        return error(400, "bad_format", "Välj format json eller csv.")
    account = request[ACCOUNT]
    found = await run(usage.summary, month, account.serves)
    if wanted == "csv":
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="halsolotsen-{month}.csv"'}
        return web.Response(text=usage.as_csv(found), content_type="text/csv", charset="utf-8", headers=headers)
    content = request.app[CONTENT_STORE].get()
    for topic in [*found["topics"], *found["emergencies"]["by_item"]]:
        topic["title"] = _title(content, topic["item"])
    codes = [lang["language"] for lang in found["languages"]]
    found["language_names"] = {code: _name(code) for code in codes}
    found["municipalities"] = list(account.municipalities)
    return web.json_response(found, headers=NO_STORE)


def _title(content: Content, node_id: str) -> str:
    """An item's or a section's (a lesson's introduction) title; an id no longer in the content as itself."""
    if node_id in content.items:
        return content.items[node_id].title
    section = content.section(node_id)
    return section.title if section else node_id


def _name(code: str) -> str:
    """A language's name for coordinators; a code no longer configured (counted earlier) as itself."""
    return languages.coordinator_name(code) if code in languages.LANGUAGES else code
