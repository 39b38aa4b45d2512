"""Rasa's command line (`python -m rasa run …`), without third-party deprecation notices.

    python -m bot.rasa.server run --model models/halsolotsen.tar.gz --port 5005
    python -m bot.rasa.server train --fixed-model-name halsolotsen --out models   (bot.rasa.training)
"""

from __future__ import annotations

import runpy

from bot.rasa import quiet_warnings


def main() -> None:
    quiet_warnings.install_for_rasa()
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
