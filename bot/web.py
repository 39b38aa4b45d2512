"""The project's own web server: audio files now, the classroom widget and coordinator pages later.

aiohttp comes with Rasa already; it serves static files efficiently and is what Rasa's own
channels are tested against.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.settings import AUDIO_DIR, WEB_PORT


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(audio_dir: Path = AUDIO_DIR) -> web.Application:
    audio_dir.mkdir(parents=True, exist_ok=True)
    app = web.Application()
    app.router.add_get("/health", health)
    app.router.add_static("/audio/", audio_dir, show_index=False, follow_symlinks=False)
    return app


def serve(port: int = WEB_PORT) -> None:
    web.run_app(create_app(), host="0.0.0.0", port=port, access_log=None, print=None)  # noqa: S104 - a server
