"""The coordinator pages on the project's web server, all under /koordinator/.

- `/koordinator/` the coordinator view: requests of their municipalities, claim, live chat with
  the participant, propose times, mark booked or closed (bot/web/static/coordinator/, no build step);
- `/koordinator/api/login|logout|me` logins (bot/accounts/auth.py);
- `/koordinator/api/requests…` the requests (bot/handoff/coordination.py does the work and
  writes the audit log);
- `/koordinator/inspelning` recording answers in the browser, and its API (bot/web/recording.py);
- `/koordinator/insikter` the questions the assistant could not answer, for content work, and
  its API `/koordinator/api/insights` (bot/web/insights.py).
Server logs get no message contents and no personal data: only HTTP status lines are logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.accounts import auth
from bot.accounts.auth import ACCOUNT, require
from bot.handoff import coordination
from bot.storage.database import run
from bot.web import insights as insights_web
from bot.web import recording
from bot.web.request_json import json_or_none
from bot.web.well_formed import repaired

PAGE_DIR = Path(__file__).parent / "static" / "coordinator"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_BODY_BYTES = 16 * 1024


def _page(name: str) -> Callable[[web.Request], Awaitable[web.FileResponse]]:
    """A page that holds no data itself; it asks the API, which checks the login."""

    async def page(_: web.Request) -> web.FileResponse:
        return web.FileResponse(
            PAGE_DIR / name,
            headers={"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache", "X-Frame-Options": "DENY"},
        )

    return page


async def _json(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise coordination.RefusedError("För stort.")
    body = await json_or_none(request)
    if not isinstance(body, dict):
        raise coordination.RefusedError("Skicka JSON.")
    return body


def _request_id(request: web.Request) -> int:
    raw = request.match_info["request_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise coordination.NotFoundError(raw)
    return int(raw)


def _answers(work: Callable[[web.Request], Awaitable[Any]]) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Turns the work's result into JSON, and its refusals into 404 or 409 with a reason."""

    async def handler(request: web.Request) -> web.Response:
        try:
            return web.json_response(await work(request), headers={"Cache-Control": "no-store"})
        except coordination.NotFoundError:
            return web.json_response({"error": "not_found", "message": "Förfrågan finns inte."}, status=404)
        except coordination.RefusedError as refused:
            return web.json_response({"error": "refused", "message": str(refused)}, status=409)

    return handler


@require("coordinator")
@_answers
async def requests(request: web.Request) -> Any:
    return await run(coordination.listing, request[ACCOUNT])


@require("coordinator")
@_answers
async def request_detail(request: web.Request) -> Any:
    return await run(coordination.detail, request[ACCOUNT], _request_id(request))


@require("coordinator")
@_answers
async def claim(request: web.Request) -> Any:
    return await run(coordination.claim, request[ACCOUNT], _request_id(request))


@require("coordinator")
@_answers
async def write(request: web.Request) -> Any:
    text = (await _json(request)).get("text")
    if not isinstance(text, str):
        raise coordination.RefusedError("Skriv ett meddelande.")
    return await run(coordination.write, request[ACCOUNT], _request_id(request), repaired(text))


@require("coordinator")
@_answers
async def propose(request: web.Request) -> Any:
    raw = (await _json(request)).get("times")
    try:
        times = [dt.datetime.fromisoformat(value) for value in raw if isinstance(value, str)]
    except (TypeError, ValueError):
        raise coordination.RefusedError("Skriv tiderna som datum och klockslag.") from None
    if not times or len(times) != len(raw) or any(t.tzinfo for t in times):
        raise coordination.RefusedError("Skriv tiderna som datum och klockslag.")
    return await run(coordination.propose, request[ACCOUNT], _request_id(request), times)


@require("coordinator")
@_answers
async def status(request: web.Request) -> Any:
    value = (await _json(request)).get("status")
    return await run(coordination.set_status, request[ACCOUNT], _request_id(request), str(value))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/koordinator/", _page("index.html"))
    app.router.add_get("/koordinator/insikter", _page("insikter.html"))
    app.router.add_static("/koordinator/static/", PAGE_DIR, show_index=False, follow_symlinks=False)
    app.router.add_post("/koordinator/api/login", auth.login)
    app.router.add_post("/koordinator/api/logout", auth.logout)
    app.router.add_get("/koordinator/api/me", auth.me)
    app.router.add_get("/koordinator/api/requests", requests)
    app.router.add_get("/koordinator/api/requests/{request_id}", request_detail)
    app.router.add_post("/koordinator/api/requests/{request_id}/claim", claim)
    app.router.add_post("/koordinator/api/requests/{request_id}/messages", write)
    app.router.add_post("/koordinator/api/requests/{request_id}/proposals", propose)
    app.router.add_post("/koordinator/api/requests/{request_id}/status", status)
    recording.add_routes(app)
    app.router.add_get("/koordinator/api/insights", insights_web.insights)
