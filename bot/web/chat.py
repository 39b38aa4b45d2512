"""The widget's chat: POST /api/chat, passed on to Rasa's REST channel and its answer passed back.

Why a proxy on our own server rather than the browser calling Rasa: the page and its API share
one origin, so it embeds in a school's site with a plain iframe and needs no CORS, and Rasa's
port stays internal. Why the REST channel (not socket.io): each answer arrives whole (text,
buttons, language, direction and audio in one message), and any Rasa replica can answer any
request, so several replicas need no sticky sessions; the browser's `fetch` is the whole client.

Web conversations get their own sender namespace (`web-…`), so a page can never continue a
conversation that another channel (Telegram) started. Nothing the participant wrote is logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.settings import MAX_MESSAGE_CHARS
from bot.web.content_api import error
from bot.web.request_json import json_or_none

logger = logging.getLogger(__name__)

RASA_URL = web.AppKey("rasa_url", str)
HTTP = web.AppKey("http", aiohttp.ClientSession)

WEBHOOK_PATH = "/webhooks/rest/webhook"
# A message of MAX_MESSAGE_CHARS characters of 4 bytes each, its sender and JSON around it.
MAX_BODY_BYTES = 4 * MAX_MESSAGE_CHARS + 1024
SENDER = re.compile(r"[A-Za-z0-9_-]{16,64}")
SENDER_PREFIX = "web-"
# Rasa's first answer after start-up can take a while (the model and action server warm up).
RASA_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=5)
NO_STORE = {"Cache-Control": "no-store"}


async def http_client(app: web.Application) -> AsyncIterator[None]:
    """One connection pool to Rasa for the server's lifetime (aiohttp's cleanup context)."""
    async with aiohttp.ClientSession(timeout=RASA_TIMEOUT) as session:
        app[HTTP] = session
        yield


async def _body(request: web.Request) -> dict | web.Response:
    """The JSON body, or the error response that explains what is wrong with it."""
    too_large = error(413, "too_large", f"The body may be at most {MAX_BODY_BYTES} bytes.")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return too_large
    try:
        body = await json_or_none(request)
    except web.HTTPRequestEntityTooLarge:
        return too_large
    sender, message = (body.get("sender"), body.get("message")) if isinstance(body, dict) else (None, None)
    if not isinstance(sender, str) or not SENDER.fullmatch(sender) or not isinstance(message, str):
        return error(400, "bad_request", 'Send JSON {"sender": "<16-64 of A-Z a-z 0-9 - _>", "message": "<text>"}.')
    return body


async def chat(request: web.Request) -> web.Response:
    """POST /api/chat {"sender", "message"} → Rasa's answer messages; 503 when Rasa cannot be reached."""
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    forwarded = {"sender": SENDER_PREFIX + body["sender"], "message": body["message"]}
    try:
        async with request.app[HTTP].post(request.app[RASA_URL] + WEBHOOK_PATH, json=forwarded) as reply:
            if reply.status != 200:
                logger.error("Rasa answered the widget's message with HTTP %s.", reply.status)
                return error(502, "rasa_error", f"Rasa answered with HTTP {reply.status}.")
            messages = await reply.json()
    except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as failure:
        logger.error("Rasa cannot be reached at %s: %s", request.app[RASA_URL], type(failure).__name__)
        return error(503, "rasa_unreachable", "The assistant cannot be reached right now. Try again soon.")
    except (aiohttp.ContentTypeError, ValueError):
        return error(502, "rasa_error", "Rasa's answer was not JSON.")
    return web.json_response(messages, headers=NO_STORE)
