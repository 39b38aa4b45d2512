"""The coordinator view's API, `/koordinator/api/requests…`: the hand-off requests of a
coordinator's municipalities; claim one, chat live with the participant, propose times, mark it
booked or closed. `bot/handoff/coordination.py` does the work and writes the audit log; the page
is `bot/web/static/coordinator/index.html` (no build step), its routes are in `bot/web/app.py`.
Server logs get no message contents and no personal data: only HTTP status lines are logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.accounts.auth import ACCOUNT, require
from bot.handoff import coordination
from bot.storage.database import run
from bot.web.http import NO_STORE, error, read_json
from bot.web.well_formed import repaired

MAX_BODY_BYTES = 16 * 1024


async def _json(request: web.Request) -> dict[str, Any]:
    body = await read_json(request, MAX_BODY_BYTES)
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
            return web.json_response(await work(request), headers=NO_STORE)
        except coordination.NotFoundError:
            return error(404, "not_found", "Förfrågan finns inte.")
        except coordination.RefusedError as refused:
            return error(409, "refused", str(refused))

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
