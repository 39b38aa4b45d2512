"""The action server (`python -m rasa_sdk`), started without TensorFlow, on the internal address
only, answering only Rasa, with an operations port.

Nothing in the action server uses TensorFlow, but it is installed (Rasa needs it) and spaCy's thinc
imports it whenever it can: when loading content still ran the readability check (spaCy), that import
cost about 350 MB of memory and seconds of start-up (BENCHMARKS.md, "Cost"). Marking TensorFlow as
unavailable before anything is imported makes thinc skip it, as on a machine without TensorFlow;
everything else runs as `python -m rasa_sdk`, with the log kept free of what participants write
(bot.rasa.log_privacy) and of third-party deprecation notices (bot.rasa.quiet_warnings).

Its health, readiness (database, content) and metrics (bot/metrics.py) are on its operations port
(bot/ops.py); rasa-sdk's own `/health` on the action port stays as it is.

An action call carries a whole conversation and can save or delete a participant's hand-off
request, so a made-up one must not run: every call but `/health` must carry the action token
(bot.keys) that Rasa sends (endpoints.yml), else it is a 401 before its body is read as JSON.
A compressed body is a 415: rasa-sdk would inflate `deflate` whole, and Rasa sends none unless
told to (COMPRESS_ACTION_SERVER_REQUEST, which we do not set).

    python -m bot.rasa.action_server --actions actions --port 5055 [--ops-port 9055]
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import sys
from collections.abc import Awaitable, Callable

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import keys, logs, ops
from bot.content.store import ContentStore
from bot.rasa import log_privacy, quiet_warnings
from bot.settings import ACTIONS_OPS_PORT, DATABASE_URL, INTERNAL_HOST, OPS_HOST


def _content_store() -> ContentStore:
    """The actions' own store (one per process), imported when first asked: rasa-sdk loads the actions."""
    from actions.base import content_store

    return content_store()


hookimpl = pluggy.HookimplMarker("rasa_sdk")


def guard(token: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """A Sanic request middleware: None lets the call through, a response refuses it."""
    expected = f"Bearer {token}"

    async def check(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        if not keys.same_secret(request.headers.get("authorization", ""), expected):
            return response.json({"error": "This needs the action token."}, status=401)
        if request.headers.get("content-encoding", "identity").strip().lower() != "identity":
            return response.json({"error": "Send the body uncompressed."}, status=415)
        return None

    return check


class Guard:
    """rasa-sdk's plugin hook, the place it offers to add middleware to its Sanic app."""

    def __init__(self, token: str) -> None:
        self.token = token

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        app.register_middleware(guard(self.token), "request")


def main() -> None:
    sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError, which thinc expects
    ours = argparse.ArgumentParser(add_help=False)
    ours.add_argument("--ops-port", type=int, default=ACTIONS_OPS_PORT)
    args, sys.argv[1:] = ours.parse_known_args()
    log_privacy.install()
    quiet_warnings.install()
    # rasa-sdk sets up coloured text logs when it starts; ours instead (text or JSON, errors counted).
    import rasa_sdk.utils

    rasa_sdk.utils.configure_colored_logging = lambda level: logs.configure(level=level or logging.INFO)
    checks = {"database": ops.database(DATABASE_URL), "content": ops.content(_content_store)}
    ops.serve("action server", OPS_HOST, args.ops_port, checks)
    os.environ.setdefault("SANIC_HOST", INTERNAL_HOST)  # rasa-sdk's own default is 0.0.0.0
    from rasa_sdk.plugin import plugin_manager

    plugin_manager().register(Guard(keys.shared_secret(keys.ACTION_TOKEN)))
    runpy.run_module("rasa_sdk", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
