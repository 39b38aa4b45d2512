"""The widget's chat: POST /api/chat, passed on to Rasa's REST channel and its answer passed back.

Why a proxy on our own server rather than the browser calling Rasa: the page and its API share
one origin, so it embeds in a school's site with a plain iframe and needs no CORS, and Rasa's
port stays internal. Why the REST channel (not socket.io): each answer arrives whole (text,
buttons, language, direction and audio in one message), and any Rasa replica can answer any
request, so several replicas need no sticky sessions; the browser's `fetch` is the whole client.
The server talks to Rasa with the same client as the Telegram bot (`bot/assistant_client.py`).

Limits per client address (bot.web.limits): over its messages per minute an address gets a 429
before Rasa is asked; over its new hand-off requests per hour, its messages carry a flag to Rasa,
and the form's end saves nothing (actions/handoff.py).

Web conversations get their own sender namespace (`web-…`), so a page can never continue a
conversation that another channel (Telegram) started. Nothing the participant wrote is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

from aiohttp import web

from bot.assistant_client import AssistantClient, AssistantFailedError, AssistantUnreachableError
from bot.handoff.participants import NO_NEW_REQUEST
from bot.settings import MAX_MESSAGE_CHARS
from bot.web import limits
from bot.web.http import NO_STORE, client_address, error, read_json

logger = logging.getLogger(__name__)

RASA_URL = web.AppKey("rasa_url", str)
ASSISTANT = web.AppKey("assistant", AssistantClient)
LIMITS = web.AppKey("limits", limits.ClientLimits)

# A message of MAX_MESSAGE_CHARS characters of 4 bytes each, its sender and JSON around it.
MAX_BODY_BYTES = 4 * MAX_MESSAGE_CHARS + 1024
SENDER = re.compile(r"[A-Za-z0-9_-]{16,64}")
SENDER_PREFIX = "web-"


async def assistant_client(app: web.Application) -> AsyncIterator[None]:
    """One connection pool to Rasa for the server's lifetime (aiohttp's cleanup context)."""
    client = AssistantClient(app[RASA_URL], channel="web")
    app[ASSISTANT] = client
    yield
    await client.close()


async def chat(request: web.Request) -> web.Response:
    """POST /api/chat {"sender", "message"} → Rasa's answer messages; 429 over the address's limit,
    503 when Rasa cannot be reached."""
    body = await read_json(request, MAX_BODY_BYTES)
    sender, message = (body.get("sender"), body.get("message")) if isinstance(body, dict) else (None, None)
    if not isinstance(sender, str) or not SENDER.fullmatch(sender) or not isinstance(message, str):
        return error(400, "bad_request", 'Send JSON {"sender": "<16-64 of A-Z a-z 0-9 - _>", "message": "<text>"}.')
    address, budget = client_address(request), request.app[LIMITS]
    if not await budget.message(address):
        return error(429, "too_many_requests", "Too many messages from this address; wait a minute.")
    metadata = None if budget.may_request(address) else {NO_NEW_REQUEST: True}
    try:
        messages = await request.app[ASSISTANT].ask(SENDER_PREFIX + sender, message, metadata)
    except AssistantUnreachableError as failure:
        logger.error("Rasa cannot be reached at %s: %s", request.app[RASA_URL], failure)
        return error(503, "rasa_unreachable", "The assistant cannot be reached right now. Try again soon.")
    except AssistantFailedError as failure:
        logger.error("Rasa failed to answer the widget's message: %s", failure)
        return error(502, "rasa_error", str(failure))
    if any("handoff" in answer.get("custom", {}) for answer in messages):  # a new request (replies.handoff_sent)
        await budget.requested(address)
    return web.json_response(messages, headers=NO_STORE)
