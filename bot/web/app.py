"""The project's own web server: the classroom chat page, its small API, and the audio files.

aiohttp serves static files efficiently; the server runs on its own, current Python (`.venv-web`),
apart from Rasa's. Routes:

- `/` the chat page (`bot/web/static/widget/`: one HTML, one CSS, one JS file, no build step);
- `POST /api/chat` passed on to Rasa's REST channel (`bot/web/chat.py`);
- `GET /api/ui`, `/api/lessons`, `/api/show/<id>` read-only content (`bot/web/content_api.py`);
- `/audio/` the MP3 and OGG files linked in answers.

An address typed with or without its last slash (`/koordinator`, `/koordinator/insikter/`) is
sent on, with a permanent redirect, to the one the page lives at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from bot import runtime
from bot.audio.library import AudioIndex
from bot.content.store import ContentStore
from bot.settings import AUDIO_DIR, CONTENT_DIR, PUBLIC_URL, RASA_URL, WEB_PORT
from bot.web import chat, content_api, coordinator, inbox, recording

WIDGET_DIR = Path(__file__).parent / "static" / "widget"
PAGE_POLICY = web.AppKey("page_policy", str)
MAX_NAME_BYTES = 255  # the longest file name Linux file systems allow


def _content_security_policy(public_url: str) -> str:
    """Scripts, styles and requests only from this server; audio also from the public address.

    No `frame-ancestors`: any school's site may embed the page. Inline scripts and handlers are
    refused, a second guard after the page's own rule of showing message text as text only.
    """
    parts = urlsplit(public_url)
    audio_origin = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        f"media-src 'self' {audio_origin}; base-uri 'none'; form-action 'none'"
    )


@web.middleware
async def _privacy_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """No referrer leaves the page (a school's address or a question in a URL) and no type sniffing."""
    response = await handler(request)
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@web.middleware
async def _no_overlong_names(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """A path part longer than any file name is a 404 before the file system sees it: for such a
    name aiohttp's static files get "File name too long" from the file system, a 500 that the
    hostile-input run found."""
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in request.path.split("/")):
        raise web.HTTPNotFound()
    return await handler(request)


def embed_snippet(public_url: str) -> str:
    """The one line a school pastes into its own page to show the chat."""
    return (
        f'<iframe src="{public_url.rstrip("/")}/" title="Hälsolotsen" style="width:100%;height:80vh;border:0"></iframe>'
    )


async def health(_: web.Request) -> web.Response:
    """Up, and on which Python and aiohttp (an operator's check that it runs on the current runtime)."""
    return web.json_response({"status": "ok", **runtime.versions()})


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        WIDGET_DIR / "index.html",
        headers={"Content-Security-Policy": request.app[PAGE_POLICY], "Cache-Control": "no-cache"},
    )


def create_app(
    audio_dir: Path = AUDIO_DIR, content_dir: Path = CONTENT_DIR, rasa_url: str = RASA_URL, public_url: str = PUBLIC_URL
) -> web.Application:
    audio_dir.mkdir(parents=True, exist_ok=True)
    app = web.Application(
        client_max_size=chat.MAX_BODY_BYTES,
        middlewares=[
            _privacy_headers,
            _no_overlong_names,
            # Only for an address that matches no route: one adds a last slash, the other removes one.
            web.normalize_path_middleware(append_slash=True),
            web.normalize_path_middleware(append_slash=False, remove_slash=True),
        ],
    )
    app[content_api.CONTENT_STORE] = ContentStore(content_dir)
    app[content_api.AUDIO_INDEX] = AudioIndex(audio_dir, public_url)
    app[chat.RASA_URL] = rasa_url.rstrip("/")
    app[PAGE_POLICY] = _content_security_policy(public_url)
    app[recording.FOLDERS] = recording.Folders(recordings=content_dir, audio=audio_dir)
    app.cleanup_ctx.append(chat.http_client)
    app.router.add_get("/", page)
    app.router.add_get("/health", health)
    app.router.add_post("/api/chat", chat.chat)
    app.router.add_get("/api/chat/inbox", inbox.inbox)
    app.router.add_get("/api/ui", content_api.interface_texts)
    app.router.add_get("/api/lessons", content_api.lesson_list)
    app.router.add_get("/api/show/{node_id}", content_api.show)
    coordinator.add_routes(app)
    app.router.add_static("/widget/", WIDGET_DIR, show_index=False, follow_symlinks=False)
    app.router.add_static("/audio/", audio_dir, show_index=False, follow_symlinks=False)
    return app


def serve(port: int = WEB_PORT) -> None:
    print(runtime.describe("Web server"), flush=True)
    web.run_app(create_app(), host="0.0.0.0", port=port, access_log=None, print=None)  # noqa: S104 - a server
