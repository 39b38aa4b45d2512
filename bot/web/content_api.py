"""The widget's read-only content API: interface texts, the lesson list, and one item as messages.

Side by side and lesson mode need an item's text in a given language without going through the
conversation (no sender, nothing stored). The messages are the ones `bot.content.replies.show` makes for
the chat, with audio URLs added by the same `AudioIndex.voiced`, so a lesson step looks and
sounds exactly like the chat's answer.
"""

from __future__ import annotations

from aiohttp import web

from bot.audio.library import AudioIndex
from bot.content import lessons, replies, ui_text
from bot.content.store import Content, ContentStore
from bot.languages import LANGUAGES, SOURCE_LANGUAGE, direction
from bot.settings import MAX_MESSAGE_CHARS
from bot.web.http import error

CONTENT_STORE = web.AppKey("content_store", ContentStore)
AUDIO_INDEX = web.AppKey("audio_index", AudioIndex)

# The interface texts the page shows; the page gets only these, by key.
WIDGET_TEXTS = (
    ui_text.BUTTON_LANGUAGE,
    ui_text.WEB_CONVERSATION,
    ui_text.WEB_INPUT_LABEL,
    ui_text.WEB_SEND,
    ui_text.WEB_NEW_SESSION,
    ui_text.WEB_SIDE_BY_SIDE,
    ui_text.WEB_RATE_UP,
    ui_text.WEB_RATE_DOWN,
    ui_text.WEB_PLAY,
    ui_text.WEB_TRY_AGAIN,
    ui_text.WEB_LESSON,
    ui_text.WEB_LESSON_OPEN,
    ui_text.WEB_LESSON_PREVIOUS,
    ui_text.WEB_LESSON_NEXT,
    ui_text.WEB_LESSON_CLOSE,
)


def _language(request: web.Request, content: Content) -> str | None:
    """The `lang` query parameter if the content has that language; Swedish when it is left out."""
    lang = request.query.get("lang", SOURCE_LANGUAGE)
    return lang if lang in content.languages() else None


def unknown_language(languages: list[str]) -> web.Response:
    return error(400, "unknown_language", f"lang must be one of {', '.join(languages)}.")


async def interface_texts(request: web.Request) -> web.Response:
    """GET /api/ui?lang=xx: the page's labels in that language and every language in its own name."""
    content = request.app[CONTENT_STORE].get()
    lang = _language(request, content)
    if lang is None:
        return unknown_language(content.languages())
    languages = [
        {"code": code, "name": LANGUAGES[code].endonym, "dir": direction(code)} for code in content.languages()
    ]
    strings = {key: content.ui_text(key, lang) for key in WIDGET_TEXTS}
    return web.json_response(
        {
            "lang": lang,
            "dir": direction(lang),
            "strings": strings,
            "languages": languages,
            "max_message_chars": MAX_MESSAGE_CHARS,
        }
    )


async def lesson_list(request: web.Request) -> web.Response:
    """GET /api/lessons?lang=xx: the lesson sections, their lessons and each lesson's steps in order."""
    content = request.app[CONTENT_STORE].get()
    lang = _language(request, content)
    if lang is None:
        return unknown_language(content.languages())
    return web.json_response({"lang": lang, "sections": lessons.lessons(content, lang)})


async def show(request: web.Request) -> web.Response:
    """GET /api/show/<id>?lang=xx: the messages the chat would show for this item, with audio URLs."""
    content = request.app[CONTENT_STORE].get()
    node_id = request.match_info["node_id"]
    if node_id not in content.items and node_id not in content.section_items:
        return error(404, "unknown_item", f"There is no item or section with the id {node_id!r}.")
    lang = _language(request, content)
    if lang is None:
        return unknown_language(content.languages())
    return web.json_response(request.app[AUDIO_INDEX].voiced(replies.show(content, node_id, lang)))
