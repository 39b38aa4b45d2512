"""The recording page's API: native-language communicators record, in the browser, the texts that
still lack a human voice, and a second person approves each take before participants hear it
(the page: `bot/web/static/recording/`, served at `/koordinator/inspelning`).

- `GET /koordinator/api/recordings?lang=ti` the texts of a language without a recording, and
  those with a take under review or an approval that can be undone; `lang` left out: the first
  language the account records, those without a speech engine first;
- `PUT /koordinator/api/recordings/<lang>/<id>` one take as the request body (audio/webm from
  MediaRecorder, or ogg, wav, mp3, mp4), converted and kept for review; nothing served changes;
- `GET …/<lang>/<id>/review` the take under review, to listen to before approving;
- `POST …/<lang>/<id>/approve` by someone other than its recorder: the take becomes the text's audio;
- `POST …/<lang>/<id>/undo` the audio before the last approval is served again.

Everything needs a coordinator's or recorder's login (`bot/accounts/auth.py`), and a recorder
may act only in the languages of the account (Account.records). The audit log records who did
what to which text ("<lang>/<id>"), never what it says. Conversions run in at most
FFMPEG_AT_ONCE worker threads, each stopped after FFMPEG_SECONDS: a slow or hung upload gets a
clear 503, and the server keeps answering.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from aiohttp import web

from bot import languages
from bot.accounts.auth import ACCOUNT, require
from bot.accounts.store import Account
from bot.audio import recordings, reviews
from bot.audio.library import Speakable
from bot.content.store import Content
from bot.handoff import audit
from bot.settings import FFMPEG_AT_ONCE, FFMPEG_QUEUE_SECONDS
from bot.storage.database import run
from bot.web.content_api import AUDIO_INDEX, CONTENT_STORE, unknown_language
from bot.web.http import NO_STORE, error, read_body

T = TypeVar("T")
ROLES = ("coordinator", "recorder")


@dataclass
class Folders:
    """Where recordings are kept (the content folder) and where the audio build writes; the
    converters' limit and the lock that makes approvals and undos one at a time."""

    recordings: Path
    audio: Path
    converters: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(FFMPEG_AT_ONCE))
    changes: asyncio.Lock = field(default_factory=asyncio.Lock)


FOLDERS = web.AppKey("recording_folders", Folders)


def _recorded_languages(content: Content, account: Account) -> list[str]:
    """The account's languages, those without a speech engine (needing recordings most) first."""
    mine = [lang for lang in content.languages() if account.records(lang)]
    return sorted(
        mine, key=lambda lang: bool(languages.LANGUAGES[lang].speech) if lang in languages.LANGUAGES else True
    )


def _not_yours(lang: str) -> web.Response:
    return error(403, "language_not_allowed", f"Your account does not record in {lang}.")


@require(*ROLES)
async def listing(request: web.Request) -> web.Response:
    """GET ?lang=xx: {"lang", "dir", "languages", "recorded": n, "texts": [{"id", "text",
    "audio": "missing"|"generated"|"recorded", "review": None|"mine"|"other", "recorded_by", "undo"}]}."""
    content, account = request.app[CONTENT_STORE].get(), request[ACCOUNT]
    allowed = _recorded_languages(content, account)
    lang = request.query.get("lang") or (allowed[0] if allowed else "")
    if not allowed:
        return error(403, "no_languages", "Your account records in no language yet.")
    if lang not in content.languages():
        return unknown_language(content.languages())
    if lang not in allowed:
        return _not_yours(lang)
    states = await run(reviews.states, lang)
    shown = {audio_id for audio_id, state in states.items() if state.pending_by or state.undoable}
    waiting, recorded = await asyncio.to_thread(recordings.wanted, content, request.app[FOLDERS].audio, lang, shown)
    texts = [_text(item, source, states.get(item.audio_id), account) for item, source in waiting]
    answer = {
        "lang": lang,
        "dir": languages.direction(lang),
        "languages": allowed,
        "texts": texts,
        "recorded": recorded,
    }
    return web.json_response(answer, headers=NO_STORE)


def _text(item: Speakable, source: str, state: reviews.State | None, account: Account) -> dict:
    pending = state.pending_by if state else None
    review = None if pending is None else ("mine" if pending == account.username else "other")
    undo = bool(state and state.undoable)
    return {
        "id": item.audio_id,
        "text": item.text,
        "audio": source,
        "review": review,
        "recorded_by": pending,
        "undo": undo,
    }


async def _item(request: web.Request) -> Speakable | web.Response:
    """The text the route names, if the account may record in its language; else the refusal."""
    content = request.app[CONTENT_STORE].get()
    lang, audio_id = request.match_info["lang"], request.match_info["audio_id"]
    if lang not in content.languages():
        return unknown_language(content.languages())
    if not request[ACCOUNT].records(lang):
        return _not_yours(lang)
    item = await asyncio.to_thread(recordings.speakable, content, lang, audio_id)
    if item is None:
        return error(404, "unknown_text", f"{lang} has no text with the id {audio_id!r}.")
    return item


async def _audit(username: str, action: str, item: Speakable) -> None:
    """Who changed which text's audio: the audit row names the language and text id."""
    await run(partial(audit.write, subject=f"{item.lang}/{item.audio_id}"), username, action, None)


@require(*ROLES)
async def save(request: web.Request) -> web.Response:
    """PUT a take of one text: kept for review by another person; the served audio stays as it is."""
    item = await _item(request)
    if isinstance(item, web.Response):
        return item
    if request.content_type not in recordings.DEMUXERS:
        return error(415, "not_audio_type", f"Send one of: {', '.join(recordings.DEMUXERS)}.")
    data = await read_body(request, recordings.MAX_BYTES)  # a 413 when it is longer than a recording may be
    if not data:
        return error(400, "empty", "The recording is empty.")
    folders = request.app[FOLDERS]
    try:
        await asyncio.wait_for(folders.converters.acquire(), FFMPEG_QUEUE_SECONDS)
    except asyncio.TimeoutError:
        return error(503, "busy", "Other recordings are being converted. Try again in a minute.")
    try:
        await asyncio.to_thread(recordings.propose, item, data, request.content_type, folders.recordings)
    except recordings.NotAudioError:
        return error(422, "not_audio", "The file could not be read as audio.")
    except recordings.TooShortError:
        return error(422, "too_short", f"A recording must be at least {recordings.MIN_SECONDS} seconds long.")
    except recordings.TooSlowError:
        return error(503, "too_slow", "The recording took too long to convert and was stopped. Try again.")
    finally:
        folders.converters.release()
    await run(reviews.proposed, item.lang, item.audio_id, request[ACCOUNT].username)
    await _audit(request[ACCOUNT].username, "recording_saved", item)
    return web.json_response({"id": item.audio_id, "lang": item.lang, "review": "mine"}, headers=NO_STORE)


@require(*ROLES)
async def review_take(request: web.Request) -> web.StreamResponse:
    """GET the take under review (Ogg/Opus), so the approver hears what they approve."""
    item = await _item(request)
    if isinstance(item, web.Response):
        return item
    take = await asyncio.to_thread(recordings.review_take, request.app[FOLDERS].recordings, item)
    if take is None:
        return error(404, "nothing_to_approve", "There is no recording waiting for approval.")
    return web.FileResponse(take, headers={**NO_STORE, "Content-Type": "audio/ogg"})


@require(*ROLES)
async def approve(request: web.Request) -> web.Response:
    """POST: another person's take becomes the text's audio; the earlier audio is kept for undo."""
    item = await _item(request)
    if isinstance(item, web.Response):
        return item
    folders, username = request.app[FOLDERS], request[ACCOUNT].username
    async with folders.changes:
        try:
            await run(reviews.check_approval, item.lang, item.audio_id, username)
        except reviews.ReviewError as refused:
            return error(409, refused.code, str(refused))
        # A build that fails (ffmpeg stopped after FFMPEG_SECONDS too) answers not_built below;
        # the approval stands, so undo brings the earlier audio back.
        try:
            served = await _converting(folders, recordings.approve, request.app[CONTENT_STORE].get(), item)
        except recordings.TextChangedError:
            return error(409, "text_changed", "The text was changed after this take was recorded. Record it again.")
        await run(reviews.approved, item.lang, item.audio_id, username)
    await _audit(username, "recording_approved", item)
    if not served:
        return error(500, "not_built", "The recording was approved but its audio could not be built.")
    urls = request.app[AUDIO_INDEX].urls(item.lang, item.text)
    return web.json_response({"id": item.audio_id, "lang": item.lang, **urls}, headers=NO_STORE)


@require(*ROLES)
async def undo(request: web.Request) -> web.Response:
    """POST: the audio served before the last approval is served again."""
    item = await _item(request)
    if isinstance(item, web.Response):
        return item
    folders = request.app[FOLDERS]
    async with folders.changes:
        try:
            await run(reviews.check_undo, item.lang, item.audio_id)
        except reviews.ReviewError as refused:
            return error(409, refused.code, str(refused))
        source = await _converting(folders, recordings.undo, request.app[CONTENT_STORE].get(), item)
        await run(reviews.undone, item.lang, item.audio_id)
    await _audit(request[ACCOUNT].username, "recording_undone", item)
    urls = request.app[AUDIO_INDEX].urls(item.lang, item.text)
    return web.json_response({"id": item.audio_id, "lang": item.lang, "audio_source": source, **urls}, headers=NO_STORE)


async def _converting(
    folders: Folders, change: Callable[[Content, Speakable, Path, Path], T], content: Content, item: Speakable
) -> T:
    """Runs an approve or undo (which builds the text's audio with ffmpeg) in a converter slot."""
    async with folders.converters:
        return await asyncio.to_thread(change, content, item, folders.recordings, folders.audio)
