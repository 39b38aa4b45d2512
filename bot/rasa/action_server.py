"""The action server (`python -m rasa_sdk`), started without TensorFlow, with an operations port.

Nothing in the action server uses TensorFlow, but it is installed (Rasa needs it) and spaCy's thinc
imports it whenever it can: when loading content still ran the readability check (spaCy), that import
cost about 350 MB of memory and seconds of start-up (BENCHMARKS.md, "Cost"). Marking TensorFlow as
unavailable before anything is imported makes thinc skip it, as on a machine without TensorFlow;
everything else runs as `python -m rasa_sdk`, with the log kept free of what participants write
(bot.rasa.log_privacy) and of third-party deprecation notices (bot.rasa.quiet_warnings).

Its health, readiness (database, content) and metrics (bot/metrics.py) are on its operations port
(bot/ops.py); rasa-sdk's own `/health` on the action port stays as it is.

    python -m bot.rasa.action_server --actions actions --port 5055 [--ops-port 9055]
"""

from __future__ import annotations

import argparse
import logging
import runpy
import sys

from bot import logs, ops
from bot.content.store import ContentStore
from bot.rasa import log_privacy, quiet_warnings
from bot.settings import ACTIONS_OPS_PORT, DATABASE_URL, OPS_HOST


def _content_store() -> ContentStore:
    """The actions' own store (one per process), imported when first asked: rasa-sdk loads the actions."""
    from actions.base import content_store

    return content_store()


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
    runpy.run_module("rasa_sdk", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
