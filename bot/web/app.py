"""The project's own web server: one app, and every route it has, in this file.

aiohttp serves static files efficiently; the server runs on its own, current Python (`.venv-web`),
apart from Rasa's. The handlers live in the route modules (`chat`, `inbox`,
`content_api`, `teacher`, `coordinator`, `recording`, `studio`, `insights`, and `bot/accounts/auth.py` for logins);
what they share (JSON errors, the body reader, security headers) is in `bot/web/http.py`.

- `/` the classroom chat page, which any school's site may embed in an iframe;
- `/larare/` the teachers' page: a lesson's link and QR code, and the lesson in two languages to print;
- `/koordinator/`, `/koordinator/insikter`, `/koordinator/siffror`, `/koordinator/inspelning`,
  `/koordinator/redigera` the coordinators' pages;
- `/static/` the pages' CSS and JS (`bot/web/static/<page>/` and `shared/` for what all share);
- `/api/…` the chat page's API, `/koordinator/api/…` the coordinator pages' API (login needed;
  the content editor's, `/koordinator/api/content/…`, is in `editor`);
- `/audio/` the MP3 and OGG files linked in answers.

An address typed with or without its last slash (`/koordinator`, `/koordinator/insikter/`) is
sent on, with a permanent redirect, to the one the page lives at.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from bot import logs, ops, runtime
from bot.accounts import auth
from bot.audio.library import AudioIndex
from bot.content.store import ContentStore
from bot.settings import (
    ACCESS_LOG,
    AUDIO_DIR,
    CHAT_MESSAGES_PER_MINUTE,
    CHAT_REQUESTS_PER_HOUR,
    CONTENT_DIR,
    DATABASE_URL,
    OPS_HOST,
    PRODUCTION,
    PUBLIC_URL,
    RASA_URL,
    WEB_OPS_PORT,
    WEB_PORT,
)
from bot.web import (
    access_log,
    chat,
    content_api,
    coordinator,
    editor,
    funder,
    http,
    inbox,
    insights,
    limits,
    recording,
    studio,
    teacher,
)

STATIC_DIR = Path(__file__).parent / "static"
WIDGET = http.Page("Hälsolotsen", "widget/index.html", "widget/widget.css", "widget/widget.js")
COORDINATOR = http.Page(
    "Hälsolotsen – koordinator",
    "coordinator/index.html",
    "coordinator/coordinator.css",
    "coordinator/coordinator.js",
    header="coordinator/frame.html",
)
INSIGHTS = http.Page(
    "Hälsolotsen – insikter",
    "coordinator/insikter.html",
    "coordinator/coordinator.css",
    "coordinator/insights.js",
    header="coordinator/frame.html",
)
FUNDER = http.Page(
    "Hälsolotsen – siffror per månad",
    "coordinator/siffror.html",
    "coordinator/coordinator.css",
    "coordinator/funder.js",
    header="coordinator/frame.html",
)
EDITOR = http.Page(
    "Hälsolotsen – redigera innehåll",
    "coordinator/redigera.html",
    "coordinator/coordinator.css",
    "coordinator/editor.js",
    header="coordinator/frame.html",
)
RECORDING = http.Page(
    "Inspelning – Hälsolotsen", "recording/index.html", "recording/recording.css", "recording/recording.js"
)
TEACHER = http.Page("Hälsolotsen – för lärare", "teacher/index.html", "teacher/teacher.css", "teacher/teacher.js")
REQUEST = "/koordinator/api/requests/{request_id}"
ITEM = "/koordinator/api/content/items/{item_id}"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


async def health(_: web.Request) -> web.Response:
    """Up: the public liveness answer for a load balancer. Versions and readiness are on the
    operations port (bot/ops.py), which only the machine itself reaches."""
    return web.json_response({"status": "ok"})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _add_routes(router: web.UrlDispatcher, public_url: str) -> None:
    # The pages. The chat's audio may come from the public address; a take being recorded is a blob.
    router.add_get("/", http.page(STATIC_DIR, WIDGET, "static", (_origin(public_url),), embeddable=True))
    router.add_get("/larare/", http.page(STATIC_DIR, TEACHER, "../static"))
    router.add_get("/koordinator/", http.page(STATIC_DIR, COORDINATOR, "../static"))
    router.add_get("/koordinator/insikter", http.page(STATIC_DIR, INSIGHTS, "../static"))
    router.add_get("/koordinator/siffror", http.page(STATIC_DIR, FUNDER, "../static"))
    router.add_get("/koordinator/redigera", http.page(STATIC_DIR, EDITOR, "../static"))
    router.add_get("/koordinator/inspelning", http.page(STATIC_DIR, RECORDING, "../static", ("blob:",)))
    router.add_get("/health", health)
    # The chat page's API.
    router.add_post("/api/chat", chat.chat)
    router.add_post("/api/chat/inbox", inbox.inbox)
    router.add_get("/api/ui", content_api.interface_texts)
    router.add_get("/api/lessons", content_api.lesson_list)
    router.add_get("/api/show/{node_id}", content_api.show)
    # The teachers' page: a lesson's link and its QR code (no login: it shows only public content).
    router.add_get("/larare/api/link", teacher.link)
    router.add_get("/larare/qr.svg", teacher.qr_code)
    # The coordinator pages' API: logins, hand-off requests, recordings, insights, content edits.
    router.add_post("/koordinator/api/login", auth.login)
    router.add_post("/koordinator/api/logout", auth.logout)
    router.add_get("/koordinator/api/me", auth.me)
    router.add_get("/koordinator/api/requests", coordinator.requests)
    router.add_get(REQUEST, coordinator.request_detail)
    router.add_post(REQUEST + "/claim", coordinator.claim)
    router.add_post(REQUEST + "/messages", coordinator.write)
    router.add_post(REQUEST + "/proposals", coordinator.propose)
    router.add_post(REQUEST + "/status", coordinator.status)
    router.add_get("/koordinator/api/recordings", recording.listing)
    router.add_put("/koordinator/api/recordings/{lang}/{audio_id}", recording.save)
    router.add_get("/koordinator/api/recordings/{lang}/{audio_id}/review", recording.review_take)
    router.add_post("/koordinator/api/recordings/{lang}/{audio_id}/approve", recording.approve)
    router.add_post("/koordinator/api/recordings/{lang}/{audio_id}/undo", recording.undo)
    router.add_get("/koordinator/api/studio", studio.listing)
    router.add_post("/koordinator/api/studio/{lang}/{node_id}/approve", studio.approve)
    router.add_get("/koordinator/api/insights", insights.insights)
    router.add_get("/koordinator/api/summary", funder.summary)
    # The content editor (the content team only) and its history; a kept question as an example.
    router.add_get("/koordinator/api/content/items", editor.items)
    router.add_get(ITEM, editor.item)
    router.add_post(ITEM, editor.save)
    router.add_post(ITEM + "/check", editor.check)
    router.add_get("/koordinator/api/content/history", editor.history)
    router.add_post("/koordinator/api/content/history/{edit_id}/undo", editor.undo)
    router.add_post("/koordinator/api/insights/examples", editor.add_example)


def create_app(
    audio_dir: Path = AUDIO_DIR, content_dir: Path = CONTENT_DIR, rasa_url: str = RASA_URL, public_url: str = PUBLIC_URL
) -> web.Application:
    audio_dir.mkdir(parents=True, exist_ok=True)
    app = web.Application(
        handler_args=http.DECOMPRESSION,
        middlewares=[
            http.privacy_headers,
            http.security_headers,
            http.no_overlong_names,
            # Only for an address that matches no route: one adds a last slash, the other removes one.
            web.normalize_path_middleware(append_slash=True),
            web.normalize_path_middleware(append_slash=False, remove_slash=True),
            http.refusals,
            http.identity_bodies,
        ],
    )
    app[content_api.CONTENT_STORE] = ContentStore(content_dir)
    app[content_api.AUDIO_INDEX] = AudioIndex(audio_dir, public_url)
    app[chat.RASA_URL] = rasa_url.rstrip("/")
    app[teacher.PUBLIC_URL] = public_url
    app[chat.LIMITS] = limits.ClientLimits(CHAT_MESSAGES_PER_MINUTE, CHAT_REQUESTS_PER_HOUR)
    app[recording.FOLDERS] = recording.Folders(recordings=content_dir, audio=audio_dir)
    app[editor.EDITING] = editor.Editing(content_dir)
    app.cleanup_ctx.append(chat.assistant_client)
    _add_routes(app.router, public_url)
    app.router.add_static(http.STATIC_PREFIX, STATIC_DIR, show_index=False, follow_symlinks=False)
    app.router.add_static("/audio/", audio_dir, show_index=False, follow_symlinks=False)
    return app


def readiness_checks(
    app: web.Application, rasa_url: str = RASA_URL, audio_dir: Path = AUDIO_DIR
) -> dict[str, ops.Check]:
    """What the web server needs to serve a participant: the database, Rasa, content and audio."""
    return {
        "database": ops.database(DATABASE_URL),
        "rasa": ops.rasa(rasa_url),
        "content": ops.content(lambda: app[content_api.CONTENT_STORE]),
        "audio": ops.audio(audio_dir),
    }


def insecure_public_url(public_url: str) -> str | None:
    """Why `public_url` will not do in production, or None. Over plain http, coordinators'
    passwords, their session cookie (Secure only with https) and every message cross the network
    readable; a browser on this machine (localhost) is the one exception."""
    parts = urlsplit(public_url)
    if parts.scheme == "https" or parts.hostname in LOCAL_HOSTS:
        return None
    return (
        f"HALSOLOTSEN_PUBLIC_URL is {public_url!r}, but in production (HALSOLOTSEN_PRODUCTION) it must be "
        'an https:// address: serve the web server behind TLS (docs/operators.md, "TLS") and set it.'
    )


def serve(port: int = WEB_PORT, ops_port: int = WEB_OPS_PORT) -> None:
    insecure = insecure_public_url(PUBLIC_URL) if PRODUCTION else None
    if insecure:
        raise SystemExit(insecure)
    logs.configure()
    logging.getLogger(__name__).info(runtime.describe("Web server"))
    app = create_app()
    ops.serve("web server", OPS_HOST, ops_port, readiness_checks(app))
    web.run_app(
        app,
        host="0.0.0.0",  # noqa: S104 - a server
        port=port,
        access_log=access_log.logger if ACCESS_LOG else None,
        access_log_class=access_log.RouteAccessLogger,
        print=None,
    )
