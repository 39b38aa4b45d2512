"""What every route of the web server shares: one JSON error shape, one body reader with a size
limit, the pages' security headers, and the middlewares that guard every request.

Request bodies are never decompressed (`DECOMPRESSION`, and `identity_bodies` answers any
`Content-Encoding` with a 415): none of our pages compresses what it sends, and a few hundred KB
of gzip inflate to hundreds of MB, which aiohttp before 3.14.4 did before any size check
(CVE-2025-69223). So the body reader's limits hold whatever aiohttp version runs the server.

Errors are `{"error": code, "message": text}`: the pages act on `error` and may show `message`.
A handler answers with `error(...)`, or raises `Refusal` from a helper it calls (the body
reader does); the `refusals` middleware turns that into the same JSON.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

from aiohttp import web

from bot.settings import TRUSTED_PROXIES

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_NAME_BYTES = 255  # the longest file name Linux file systems allow
READ_CHUNK_BYTES = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}
AUDIO_TYPES = {".ogg": "audio/ogg", ".mp3": "audio/mpeg"}  # the files bot/audio/library.py builds
STATIC_PREFIX = "/static/"  # where bot/web/app.py serves the pages' CSS and JS
# aiohttp's request handler settings (web.Application's handler_args): bodies arrive as sent.
DECOMPRESSION = {"auto_decompress": False}


class Refusal(Exception):  # noqa: N818 - it is an answer, not a fault of ours
    """A request this server will not do, with the status and JSON error that say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error(status: int, code: str, message: str) -> web.Response:
    """A JSON error the page can act on (`error`) and show or log (`message`)."""
    return web.json_response({"error": code, "message": message}, status=status)


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, at most `limit` bytes, else a 413 refusal. Each route gives its own limit
    (a chat message is small, a recording is not), so none relies on the server-wide one."""
    too_large = Refusal(413, "too_large", f"The body may be at most {limit} bytes.")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    data = bytearray()
    async for chunk in request.content.iter_chunked(READ_CHUNK_BYTES):
        data += chunk
        if len(data) > limit:
            raise too_large
    return bytes(data)


async def read_json(request: web.Request, limit: int) -> Any:
    """The parsed JSON body (at most `limit` bytes); None when it is not JSON.

    Decoding can fail with ValueError (broken JSON, bad UTF-8), LookupError (an unknown charset
    in the Content-Type, `charset=nonsense`) or RecursionError (arrays nested a few thousand deep);
    the hostile-input run found each of those as a 500. Here each is the route's own 400.
    """
    data = await read_body(request, limit)
    try:
        return json.loads(data.decode(request.charset or "utf-8"))
    except (ValueError, LookupError, RecursionError):
        return None


@lru_cache(maxsize=1)
def _trusted(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: web.Request, trusted_proxies: str = TRUSTED_PROXIES) -> str:
    """The address of whoever sent the request, for limits per client. Behind a trusted proxy
    (nginx appends the address it saw to X-Forwarded-For) it is the last address in that header
    that is not a trusted proxy; a client's own X-Forwarded-For is believed only that far, so it
    cannot choose its address. Without a trusted proxy in front, the header is ignored."""
    networks = _trusted(trusted_proxies)
    address = request.remote or ""
    if not _is_trusted(address, networks):
        return address
    for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
        hop = hop.strip()
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # a hop that is no address: count it as the proxy's own
        address = hop
    return address


def content_security_policy(media_sources: tuple[str, ...] = (), embeddable: bool = False) -> str:
    """Scripts, styles, requests and images only from this server; audio also from `media_sources`.

    Inline scripts and handlers are refused, a second guard after the pages' own rule of showing
    text as text only. Only an `embeddable` page (the chat, which any school's site may show in an
    iframe) leaves out `frame-ancestors`.
    """
    sources = " ".join(("'self'", *media_sources))
    media = f"media-src {sources}; " if media_sources else ""
    framing = "" if embeddable else "; frame-ancestors 'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        f"{media}base-uri 'none'; form-action 'none'{framing}"
    )


@dataclass(frozen=True)
class Page:
    """One HTML page: its title, and its body, stylesheet and module under `static/`."""

    title: str
    body: str  # e.g. "coordinator/insikter.html": the page's own file, what goes in its <body>
    stylesheet: str
    script: str
    header: str = ""  # a file put before the body, shared by a group of pages (the coordinators')


def render(static_dir: Path, page: Page, static_url: str) -> str:
    """The whole document: the shared frame (`static/shared/page.html`) around the page's body.
    `static_url` is relative ("static" or "../static"), so the pages also work behind a path prefix."""
    fields = {"title": page.title, "stylesheet": page.stylesheet, "script": page.script, "static": static_url}
    parts = [page.header, page.body] if page.header else [page.body]
    body = "".join(Template((static_dir / part).read_text(encoding="utf-8")).substitute(fields) for part in parts)
    frame = Template((static_dir / "shared" / "page.html").read_text(encoding="utf-8"))
    return frame.substitute(fields, body=body.strip())


def page(
    static_dir: Path, spec: Page, static_url: str, media_sources: tuple[str, ...] = (), embeddable: bool = False
) -> Handler:
    """A handler for one HTML page, rendered once: it holds no data itself (it asks the API, which
    checks any login), so it may be cached but must be checked again (`no-cache`)."""
    headers = {
        "Content-Security-Policy": content_security_policy(media_sources, embeddable),
        "Cache-Control": "no-cache",
    }
    if not embeddable:
        headers["X-Frame-Options"] = "DENY"  # for browsers that do not know frame-ancestors
    html = render(static_dir, spec, static_url)

    async def serve(_: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", headers=headers)

    return serve


@web.middleware
async def refusals(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A `Refusal` raised anywhere below a handler becomes its JSON error."""
    try:
        return await handler(request)
    except Refusal as refused:
        return error(refused.status, refused.code, refused.message)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer without a policy of its own gets the strictest one and may not be framed: a
    page's HTML fetched as a static file (`/static/coordinator/index.html`) is as guarded as the
    page. The pages' CSS and JS are checked again on every load, so a new version shows at once."""
    response = await handler(request)
    if isinstance(response, web.FileResponse) and "Content-Type" not in response.headers:
        # aiohttp guesses a file's type from its own table, which on Python 3.13 lacks .ogg:
        # Telegram voice messages and the widget's Opus audio must not arrive as octet-stream.
        kind = AUDIO_TYPES.get(Path(request.path).suffix)
        if kind:
            response.content_type = kind
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = content_security_policy()
        response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith(STATIC_PREFIX):
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


@web.middleware
async def privacy_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No referrer leaves the page (a school's address or a question in a URL) and no type sniffing."""
    response = await handler(request)
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@web.middleware
async def no_overlong_names(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A path part longer than any file name is a 404 before the file system sees it: for such a
    name aiohttp's static files get "File name too long" from the file system, a 500 that the
    hostile-input run found."""
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in request.path.split("/")):
        raise web.HTTPNotFound()
    return await handler(request)


@web.middleware
async def identity_bodies(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A compressed request body is a 415 before any handler reads it (the module docstring says why)."""
    if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        raise Refusal(415, "compressed_body", "Send the body uncompressed, without Content-Encoding.")
    return await handler(request)
