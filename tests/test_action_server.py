"""The action server as the run command starts it: answers actions from content, without TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from bot.settings import PROJECT_ROOT
from tests.assistant import free_port

pytestmark = pytest.mark.e2e  # starts the real action server

START_TIMEOUT_SECONDS = 180


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory):
    port = free_port()
    var = tmp_path_factory.mktemp("action-server-var")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.rasa.action_server", "--actions", "actions", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HALSOLOTSEN_VAR": str(var)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    yield url, process
    process.terminate()
    process.wait(timeout=30)


def _menu_call() -> dict:
    tracker = {"sender_id": "test-action-server", "slots": {}, "latest_message": {"text": "/menu"}, "events": []}
    return {"next_action": "action_menu", "sender_id": "test-action-server", "tracker": tracker, "domain": {}}


def test_it_answers_from_content(action_server: tuple[str, subprocess.Popen]) -> None:
    url, process = action_server
    assert process.poll() is None, "the action server did not start"
    answer = httpx.post(f"{url}/webhook", json=_menu_call(), timeout=60).json()
    assert answer["responses"], answer
    assert answer["responses"][0]["buttons"]  # the menu, from content/


def test_it_loads_content_without_tensorflow(action_server: tuple[str, subprocess.Popen]) -> None:
    url, process = action_server
    httpx.post(f"{url}/webhook", json=_menu_call(), timeout=60).raise_for_status()  # content loaded
    mapped = [m.path for m in psutil.Process(process.pid).memory_maps()]
    assert not [path for path in mapped if "tensorflow" in path.lower()]
    assert not [path for path in mapped if "/spacy/" in path], "loading content ran the readability check"
