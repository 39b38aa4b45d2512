"""The recording page: native-language communicators record, in the browser, the texts that still
lack a human voice (`bot/web/static/recording/`, `/koordinator/inspelning`), and its API.

- `GET /koordinator/api/recordings?lang=ti` the texts of a language without a recording;
- `PUT /koordinator/api/recordings/<lang>/<id>` one recording as the request body (audio/webm from
  MediaRecorder, or ogg, wav, mp3, mp4), converted, stored and made into that text's audio at once.

Both need a coordinator's or recorder's login (`bot/accounts/auth.py`); the page itself holds
no data and shows its own login form when nobody is logged in. The audit log records who saved a
recording, never what it says.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot import languages
from bot.accounts.auth import ACCOUNT, require
from bot.audio import recordings
from bot.handoff import audit
from bot.storage.database import run
from bot.web.content_api import AUDIO_INDEX, CONTENT_STORE, error

PAGE_DIR = Path(__file__).parent / "static" / "recording"
PAGE_FILES = {"recording.js": "text/javascript", "recording.css": "text/css"}
ROLES = ("coordinator", "recorder")
# The widget's policy, plus `blob:` media for listening to a take before it is saved, and no framing.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class Folders:
    """Where recordings are kept (the content folder) and where the audio build writes."""

    recordings: Path
    audio: Path


FOLDERS = web.AppKey("recording_folders", Folders)


async def page(_: web.Request) -> web.FileResponse:
    """The page itself holds no data; it asks the API, which checks the login."""
    return web.FileResponse(
        PAGE_DIR / "index.html",
        headers={"Content-Security-Policy": POLICY, "Cache-Control": "no-cache", "X-Frame-Options": "DENY"},
    )


async def page_file(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    return web.FileResponse(PAGE_DIR / name, headers={"Content-Type": PAGE_FILES[name], "Cache-Control": "no-cache"})


def _unknown_language(languages: list[str]) -> web.Response:
    return error(400, "unknown_language", f"lang must be one of {', '.join(languages)}.")


@require(*ROLES)
async def listing(request: web.Request) -> web.Response:
    """GET ?lang=xx: {"lang", "dir", "texts": [{"id", "text", "audio": "missing"|"generated"}], "recorded": n}."""
    content = request.app[CONTENT_STORE].get()
    lang = request.query.get("lang", "")
    if lang not in content.languages():
        return _unknown_language(content.languages())
    waiting, recorded = await asyncio.to_thread(recordings.wanted, content, request.app[FOLDERS].audio, lang)
    texts = [{"id": item.audio_id, "text": item.text, "audio": source} for item, source in waiting]
    direction = languages.direction(lang)
    return web.json_response({"lang": lang, "dir": direction, "texts": texts, "recorded": recorded}, headers=NO_STORE)


async def _body(request: web.Request) -> bytes | None:
    """The request body, or None when it is longer than a recording may be. Read here rather than
    with `request.read()`, whose limit is the server's small one for chat messages."""
    if request.content_length is not None and request.content_length > recordings.MAX_BYTES:
        return None
    data = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > recordings.MAX_BYTES:
            return None
    return bytes(data)


@require(*ROLES)
async def save(request: web.Request) -> web.Response:
    """PUT the recording of one text; answers with the URLs its audio is now served from."""
    content = request.app[CONTENT_STORE].get()
    lang, audio_id = request.match_info["lang"], request.match_info["audio_id"]
    if lang not in content.languages():
        return _unknown_language(content.languages())
    item = await asyncio.to_thread(recordings.speakable, content, lang, audio_id)
    if item is None:
        return error(404, "unknown_text", f"{lang} has no text with the id {audio_id!r}.")
    if request.content_type not in recordings.DEMUXERS:
        return error(415, "not_audio_type", f"Send one of: {', '.join(recordings.DEMUXERS)}.")
    data = await _body(request)
    if data is None:
        return error(413, "too_large", f"A recording may be at most {recordings.MAX_BYTES} bytes.")
    if not data:
        return error(400, "empty", "The recording is empty.")
    folders = request.app[FOLDERS]
    try:
        served = await asyncio.to_thread(
            recordings.save, content, item, data, request.content_type, folders.recordings, folders.audio
        )
    except recordings.NotAudioError:
        return error(422, "not_audio", "The file could not be read as audio.")
    except recordings.TooShortError:
        return error(422, "too_short", f"A recording must be at least {recordings.MIN_SECONDS} seconds long.")
    await run(audit.write, request[ACCOUNT].username, "recording_saved", None)
    if not served:
        return error(500, "not_built", "The recording was saved but its audio could not be built.")
    urls = request.app[AUDIO_INDEX].urls(lang, item.text)
    return web.json_response({"id": audio_id, "lang": lang, **urls}, headers=NO_STORE)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/koordinator/inspelning", page)
    app.router.add_get(r"/koordinator/inspelning/{name:recording\.(js|css)}", page_file)
    app.router.add_get("/koordinator/api/recordings", listing)
    app.router.add_put("/koordinator/api/recordings/{lang}/{audio_id}", save)
