"""Rasa's command line (`python -m rasa run …`), without third-party deprecation notices, and with
the action token in the environment, where endpoints.yml's `${HALSOLOTSEN_ACTION_TOKEN}` reads it
(bot.keys: from the environment, else made once in var/keys/).

    python -m bot.rasa.server run --model models/halsolotsen.tar.gz --port 5005
    python -m bot.rasa.server train --fixed-model-name halsolotsen --out models   (bot.rasa.training)
"""

from __future__ import annotations

import os
import runpy
import sys

from bot import keys
from bot.rasa import quiet_warnings


def main() -> None:
    quiet_warnings.install_for_rasa()
    if sys.argv[1:2] == ["run"]:
        os.environ[keys.ACTION_TOKEN] = keys.shared_secret(keys.ACTION_TOKEN)
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
