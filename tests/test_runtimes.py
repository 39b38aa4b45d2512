"""Two runtimes, one product: the web server and the Telegram front end run on a current Python
(.venv-web) and import nothing of Rasa's stack; Rasa and the action server stay on Python 3.10."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


# Packages only the web runtime installs (requirements-web.txt): a fresh Rasa venv, made from
# requirements.txt alone as `./script/run` makes it, has none of them. The test venv has them all.
WEB_ONLY_MODULES = ("cachetools", "aiolimiter", "segno", "telegram")
RUN_WITHOUT_WEB_PACKAGES = f"""
import importlib.abc, sys
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {WEB_ONLY_MODULES!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")
sys.meta_path.insert(0, Absent())
from bot.cli import main
sys.exit(main(["run"]))
"""


def test_the_run_command_starts_in_rasas_venv_without_the_web_runtimes_packages(tmp_path: Path) -> None:
    """The README's first command runs `bot run` in Rasa's venv. It once imported the web server
    (for one printed line), which needs cachetools, so a newcomer's fresh clone stopped with a
    ModuleNotFoundError while the suite, whose venv has every package, stayed green. With the web
    runtime's own packages hidden, `bot run` gets as far as checking the content (here missing,
    so it stops there, with exit code 1)."""
    env = {"HALSOLOTSEN_CONTENT": str(tmp_path / "no-content"), "HALSOLOTSEN_VAR": str(tmp_path / "var")}
    done = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT_WEB_PACKAGES],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "ModuleNotFoundError" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr


def test_the_running_web_server_is_on_a_current_python_and_aiohttp(assistant: Assistant) -> None:
    """The test assistant's web server, started like `bot run` starts it, says what it runs on, on
    its loopback operations port; the public liveness answer says only that it is up."""
    health = httpx.get(f"{assistant.ops['web']}/health", timeout=10).json()
    assert health["status"] == "ok"
    assert _version(health["python"]) >= (3, 12), health
    assert _version(health["aiohttp"]) >= (3, 13), health
    assert httpx.get(f"{assistant.web_url}/health", timeout=10).json() == {"status": "ok"}
