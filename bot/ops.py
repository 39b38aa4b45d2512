"""Each process's operations port: liveness, readiness and metrics, on loopback by default.

- `GET /health`: 200 while the process runs, with which process it is and its Python and aiohttp
  versions (not on the public web server's `/health`, which says only "ok");
- `GET /ready`: 200 when every check of the process's real dependencies passes, else 503; each
  check says "ok" or, in a few words, what is wrong (`{"status": "unready", "checks": {"rasa":
  "unreachable", …}}`);
- `GET /metrics`: the process's metrics in Prometheus' text format (bot/metrics.py).

Why a port of its own, apart from the public one: readiness asks the database and Rasa on every
request, and the metrics say how many people wrote and in which language; neither belongs on the
address participants reach. Why the standard library's server in a thread: the same code serves
the aiohttp processes and rasa-sdk's Sanic whatever event loop runs them, and a check that blocks
(the database) never holds up an answer to a participant.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot import runtime

if TYPE_CHECKING:
    from bot.content.store import ContentStore

logger = logging.getLogger(__name__)

READY_PATH = "/webhooks/rest/ready"  # the Rasa server's readiness, on its own port (bot/rasa/channel.py)
CHECK_TIMEOUT_SECONDS = 2.0

Check = Callable[[], None]  # returns when the dependency is ready; raises NotReadyError saying why


class NotReadyError(Exception):
    """A dependency is not ready; the message (a few words, nothing personal) is shown in /ready."""


def readiness(checks: dict[str, Check]) -> tuple[bool, dict[str, str]]:
    """Runs every check; (all passed, {name: "ok" or why not})."""
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except NotReadyError as error:
            results[name] = str(error)
        except Exception as error:  # a check must never take the listener down; its type says enough
            results[name] = f"failed ({type(error).__name__})"
    return all(result == "ok" for result in results.values()), results


def serve(process: str, host: str, port: int, checks: dict[str, Check]) -> ThreadingHTTPServer | None:
    """Starts the listener in a daemon thread. A port that cannot be opened is logged, not fatal:
    the process still does its work, and `bot run` or the healthcheck sees it never gets ready."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/health":
                self._send(200, "application/json", {"status": "ok", "process": process, **runtime.versions()})
            elif self.path == "/ready":
                ready, results = readiness(checks)
                self._send(
                    200 if ready else 503,
                    "application/json",
                    {"status": "ready" if ready else "unready", "checks": results},
                )
            elif self.path == "/metrics":
                self._send(200, CONTENT_TYPE_LATEST, generate_latest())
            else:
                self._send(404, "application/json", {"error": "not_found"})

        def _send(self, status: int, kind: str, body: dict | bytes) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            try:
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the prober stopped waiting (its own timeout): no answer to give, nothing lost

        def log_message(self, *_: object) -> None:
            """No line per probe: a healthcheck every few seconds would bury the log."""

    try:
        server = ThreadingHTTPServer((host, port), Handler)
    except OSError as error:
        logger.error(
            "The %s cannot open its operations port %s:%s (%s): no /health, /ready or /metrics.",
            process,
            host,
            port,
            error,
        )
        return None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="operations port", daemon=True).start()
    return server


def database(url: str) -> Check:
    """The project's database answers a query."""

    def check() -> None:
        from bot.storage.database import engine

        with engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))

    return check


def rasa(rasa_url: str) -> Check:
    """The Rasa server answers its readiness (model loaded, database reachable)."""

    def check() -> None:
        try:
            status = httpx.get(rasa_url.rstrip("/") + READY_PATH, timeout=CHECK_TIMEOUT_SECONDS).status_code
        except httpx.HTTPError as error:
            raise NotReadyError(f"unreachable ({type(error).__name__})") from None
        if status != 200:
            raise NotReadyError(f"answered HTTP {status}")

    return check


def content(store: Callable[[], ContentStore]) -> Check:
    """The content is loaded and has answers (a store is made once its first load succeeded)."""

    def check() -> None:
        if not store().get().items:
            raise NotReadyError("no items")

    return check


def audio(audio_dir: Path) -> Check:
    """The audio folder exists and can be read. Audio still being built is not "unready": answers
    go out as text until their audio exists."""

    def check() -> None:
        if not audio_dir.is_dir() or not os.access(audio_dir, os.R_OK | os.X_OK):
            raise NotReadyError(f"missing: {audio_dir}")

    return check
