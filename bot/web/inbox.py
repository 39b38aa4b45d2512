"""POST /api/chat/inbox {"sender"}: what a coordinator wrote to a web participant since the last look.

The REST channel answers only when the participant writes, so a page asks here every few seconds
while a hand-off is open. The sender id is the page's own random id (as for /api/chat), which
only that page knows: whoever holds it can read the coordinator's messages and write as the
participant, so it travels in the body, never in the address, where proxies' access logs and
browser histories would keep it.
"""

from __future__ import annotations

from aiohttp import web

from bot.handoff import outgoing, participants
from bot.storage.database import run
from bot.web.chat import SENDER, SENDER_PREFIX
from bot.web.content_api import AUDIO_INDEX, CONTENT_STORE
from bot.web.http import NO_STORE, error, read_json

MAX_BODY_BYTES = 1024  # {"sender": "<at most 64 characters>"}


async def inbox(request: web.Request) -> web.Response:
    body = await read_json(request, MAX_BODY_BYTES)
    sender = body.get("sender") if isinstance(body, dict) else None
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        return error(400, "bad_request", 'Send JSON {"sender": "<16-64 of A-Z a-z 0-9 - _>"}.')
    waiting = await run(participants.undelivered, "web", SENDER_PREFIX + sender)
    content, audio = request.app[CONTENT_STORE].get(), request.app[AUDIO_INDEX]
    messages = [outgoing.render(content, audio, each) for each in waiting]
    if waiting:
        await run(participants.mark_delivered, [each.id for each in waiting])
    return web.json_response(messages, headers=NO_STORE)
