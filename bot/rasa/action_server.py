"""The action server (`python -m rasa_sdk`), started without TensorFlow.

Nothing in the action server uses TensorFlow, but it is installed (Rasa needs it) and spaCy's thinc
imports it whenever it can: when loading content still ran the readability check (spaCy), that import
cost about 350 MB of memory and seconds of start-up (BENCHMARKS.md, "Cost"). Marking TensorFlow as
unavailable before anything is imported makes thinc skip it, as on a machine without TensorFlow;
everything else runs as `python -m rasa_sdk`, with the log kept free of what participants write
(bot.rasa.log_privacy) and of third-party deprecation notices (bot.rasa.quiet_warnings).

    python -m bot.rasa.action_server --actions actions --port 5055
"""

from __future__ import annotations

import runpy
import sys

from bot.rasa import log_privacy, quiet_warnings


def main() -> None:
    sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError, which thinc expects
    log_privacy.install()
    quiet_warnings.install()
    runpy.run_module("rasa_sdk", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
