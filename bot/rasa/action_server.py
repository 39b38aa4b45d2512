"""The action server (`python -m rasa_sdk`), started without TensorFlow.

The actions load content, and loading content checks the readability (LIX) of Swedish answers with
spaCy's tokenizer; spaCy's thinc imports TensorFlow whenever it is installed (Rasa needs it), which
nothing in the action server uses. That import cost about 350 MB of memory and seconds of start-up
(BENCHMARKS.md, "Cost"). Marking TensorFlow as unavailable before anything is imported makes thinc
skip it, as on a machine without TensorFlow; everything else runs as `python -m rasa_sdk`, with
the log kept free of what participants write (bot.rasa.log_privacy).

    python -m bot.rasa.action_server --actions actions --port 5055
"""

from __future__ import annotations

import runpy
import sys

from bot.rasa import log_privacy


def main() -> None:
    sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError, which thinc expects
    log_privacy.install()
    runpy.run_module("rasa_sdk", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
