"""Which Python and aiohttp a process runs on, as it reports them at start-up and in `/health`.

The web server and the Telegram front end run on their own, current Python (`.venv-web`), apart
from Rasa's Python 3.10; saying so at run time lets an operator (and the tests) see that they do.
"""

from __future__ import annotations

import platform
from functools import cache
from importlib.metadata import version


@cache
def versions() -> dict[str, str]:
    """{"python": "3.13.0", "aiohttp": "3.14.5"} for the running process (read once: every
    `/health` asks, and the installed version does not change while the process runs)."""
    return {"python": platform.python_version(), "aiohttp": version("aiohttp")}


def describe(process: str) -> str:
    """One start-up line, e.g. "Web server: Python 3.13.0, aiohttp 3.14.5."."""
    found = versions()
    return f"{process}: Python {found['python']}, aiohttp {found['aiohttp']}."
