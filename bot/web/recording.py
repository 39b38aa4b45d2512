"""The recording page's API: native-language communicators record, in the browser, the texts that
still lack a human voice (the page: `bot/web/static/recording/`, served at `/koordinator/inspelning`).

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
from bot.web.content_api import AUDIO_INDEX, CONTENT_STORE, unknown_language
from bot.web.http import NO_STORE, error, read_body

ROLES = ("coordinator", "recorder")


@dataclass(frozen=True)
class Folders:
    """Where recordings are kept (the content folder) and where the audio build writes."""

    recordings: Path
    audio: Path


FOLDERS = web.AppKey("recording_folders", Folders)


@require(*ROLES)
async def listing(request: web.Request) -> web.Response:
    """GET ?lang=xx: {"lang", "dir", "texts": [{"id", "text", "audio": "missing"|"generated"}], "recorded": n}."""
    content = request.app[CONTENT_STORE].get()
    lang = request.query.get("lang", "")
    if lang not in content.languages():
        return unknown_language(content.languages())
    waiting, recorded = await asyncio.to_thread(recordings.wanted, content, request.app[FOLDERS].audio, lang)
    texts = [{"id": item.audio_id, "text": item.text, "audio": source} for item, source in waiting]
    answer = {"lang": lang, "dir": languages.direction(lang), "texts": texts, "recorded": recorded}
    return web.json_response(answer, headers=NO_STORE)


@require(*ROLES)
async def save(request: web.Request) -> web.Response:
    """PUT the recording of one text; answers with the URLs its audio is now served from."""
    content = request.app[CONTENT_STORE].get()
    lang, audio_id = request.match_info["lang"], request.match_info["audio_id"]
    if lang not in content.languages():
        return unknown_language(content.languages())
    item = await asyncio.to_thread(recordings.speakable, content, lang, audio_id)
    if item is None:
        return error(404, "unknown_text", f"{lang} has no text with the id {audio_id!r}.")
    if request.content_type not in recordings.DEMUXERS:
        return error(415, "not_audio_type", f"Send one of: {', '.join(recordings.DEMUXERS)}.")
    data = await read_body(request, recordings.MAX_BYTES)  # a 413 when it is longer than a recording may be
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
