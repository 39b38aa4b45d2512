"""Two runtimes, one product: the web server and the Telegram front end run on a current Python
(.venv-web) and import nothing of Rasa's stack; Rasa and the action server stay on Python 3.10."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

from bot import services
from bot.settings import PROJECT_ROOT
from tests.assistant import Assistant

FRONT_ENDS = ("bot.web.app", "bot.telegram.app", "bot.cli")
RASA_STACK = ("rasa", "spacy", "tensorflow", "sklearn")
SHOW_IMPORTED = f"""
import importlib, json, sys
for name in {FRONT_ENDS!r}:
    importlib.import_module(name)
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({RASA_STACK!r}))))
"""


def _imported_rasa_stack(python: str) -> list[str]:
    done = subprocess.run([python, "-c", SHOW_IMPORTED], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def test_the_front_ends_import_nothing_of_rasa_where_rasa_is_installed() -> None:
    """In Rasa's venv, where all of it is installed, importing the front ends loads none of it."""
    assert _imported_rasa_stack(sys.executable) == []


def test_the_front_ends_import_in_their_own_venv_without_rasa() -> None:
    assert _imported_rasa_stack(services.web_python()) == []


def test_the_running_web_server_is_on_a_current_python_and_aiohttp(assistant: Assistant) -> None:
    """The test assistant's web server, started like `bot run` starts it, says what it runs on, on
    its loopback operations port; the public liveness answer says only that it is up."""
    health = httpx.get(f"{assistant.ops['web']}/health", timeout=10).json()
    assert health["status"] == "ok"
    assert _version(health["python"]) >= (3, 12), health
    assert _version(health["aiohttp"]) >= (3, 13), health
    assert httpx.get(f"{assistant.web_url}/health", timeout=10).json() == {"status": "ok"}
