"""The teachers' page's server side: the link that opens a lesson in a language, and its QR code.

The classroom chat opens `/?lang=ar&lesson=somn` in that language with that lesson shown, so a
teacher puts the link (or its QR code, on the projector or on paper) before the class and every
phone opens the same lesson. The link is made from the public address, so a code shown from a
teacher's laptop still works on the students' phones. The QR code is drawn here as SVG (segno,
pure Python): an image from this server, which the pages' content policy already allows.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from aiohttp import web

from bot.content import lessons
from bot.web.content_api import CONTENT_STORE
from bot.web.http import Refusal

PUBLIC_URL = web.AppKey("public_url", str)
# A phone's camera reads a code with a quarter of it covered or smudged (a projector, a photocopy).
QR_ERROR_LEVEL = "q"
QR_QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def lesson_link(request: web.Request) -> str:
    """The classroom chat's address for the `lang` and `lesson` asked for; refused if either is unknown."""
    content = request.app[CONTENT_STORE].get()
    lang, lesson = request.query.get("lang", ""), request.query.get("lesson", "")
    if lang not in content.languages():
        raise Refusal(400, "unknown_language", f"lang must be one of {', '.join(content.languages())}.")
    if lesson not in lessons.lesson_ids(content):
        raise Refusal(404, "unknown_lesson", "There is no lesson with that id.")
    return f"{request.app[PUBLIC_URL].rstrip('/')}/?{urlencode({'lang': lang, 'lesson': lesson})}"


async def link(request: web.Request) -> web.Response:
    """GET /larare/api/link?lang=ar&lesson=somn: {"url": the classroom chat's address for it}."""
    return web.json_response({"url": lesson_link(request)})


async def qr_code(request: web.Request) -> web.Response:
    """GET /larare/qr.svg?lang=ar&lesson=somn: that link as a QR code; it scales to any size (no fixed size)."""
    drawing = io.BytesIO()
    segno.make(lesson_link(request), error=QR_ERROR_LEVEL, boost_error=False).save(
        drawing, kind="svg", xmldecl=False, omitsize=True, border=QR_QUIET_ZONE, light="#fff"
    )
    return web.Response(body=drawing.getvalue(), content_type="image/svg+xml")
