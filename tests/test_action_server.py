"""The action server as the run command starts it: answers actions from content, without TensorFlow,
only on loopback, and only to calls that carry Rasa's action token."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from bot import keys
from bot.handoff import participants
from bot.settings import PROJECT_ROOT
from tests.assistant import LOOPBACK, free_port, listening_addresses, new_sender

pytestmark = pytest.mark.e2e  # starts the real action server

START_TIMEOUT_SECONDS = 180


@dataclass
class ActionServer:
    url: str
    process: subprocess.Popen
    var: Path

    def token(self) -> dict[str, str]:
        """The header Rasa sends (endpoints.yml), with the token the server made in its var/keys/."""
        return {"Authorization": f"Bearer {keys.shared_secret(keys.ACTION_TOKEN, self.var / 'keys')}"}


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
    yield ActionServer(url, process, var)
    process.terminate()
    process.wait(timeout=30)


def _menu_call() -> dict:
    tracker = {"sender_id": "test-action-server", "slots": {}, "latest_message": {"text": "/menu"}, "events": []}
    return {"next_action": "action_menu", "sender_id": "test-action-server", "tracker": tracker, "domain": {}}


def _submit_call(sender: str) -> dict:
    """A made-up tracker at the end of the hand-off form, as the review forged one: no form check ran."""
    slots = {"handoff_consent": "yes", "handoff_confirm": "yes", "handoff_name": "x" * 5000, "language": "sv"}
    slots |= {"handoff_municipality": "Malmö", "handoff_times": "any", "handoff_contact": "chat"}
    tracker = {"sender_id": sender, "slots": slots, "latest_message": {"text": "ja"}, "events": []}
    return {"next_action": "action_handoff_submit", "sender_id": sender, "tracker": tracker, "domain": {}}


def test_it_answers_from_content(action_server: ActionServer) -> None:
    url, process = action_server.url, action_server.process
    assert process.poll() is None, "the action server did not start"
    answer = httpx.post(f"{url}/webhook", json=_menu_call(), headers=action_server.token(), timeout=60).json()
    assert answer["responses"], answer
    assert answer["responses"][0]["buttons"]  # the menu, from content/


def test_it_loads_content_without_tensorflow(action_server: ActionServer) -> None:
    url, process = action_server.url, action_server.process
    token = action_server.token()
    httpx.post(f"{url}/webhook", json=_menu_call(), headers=token, timeout=60).raise_for_status()  # content loaded
    mapped = [m.path for m in psutil.Process(process.pid).memory_maps()]
    assert not [path for path in mapped if "tensorflow" in path.lower()]
    assert not [path for path in mapped if "/spacy/" in path], "loading content ran the readability check"


def test_a_call_without_the_action_token_is_refused_and_changes_nothing(action_server: ActionServer) -> None:
    """The forged end of a hand-off form saves nothing without the token; with it, the same call
    saves a request (so the refusal, not the call, is what kept the database empty)."""
    url, database = action_server.url, f"sqlite:///{action_server.var / 'halsolotsen.db'}"
    forged, real = new_sender(), new_sender()
    bare = action_server.token()["Authorization"].removeprefix("Bearer ")
    for headers in ({}, {"Authorization": "Bearer guessed"}, {"Authorization": bare}):
        refused = httpx.post(f"{url}/webhook", json=_submit_call(forged), headers=headers, timeout=60)
        assert refused.status_code == 401, refused.text
        assert "error" in refused.json()
    listed = httpx.get(f"{url}/actions", timeout=60)
    assert listed.status_code == 401
    assert httpx.get(f"{url}/health", timeout=60).status_code == 200  # health checks need no token
    httpx.post(f"{url}/webhook", json=_submit_call(real), headers=action_server.token(), timeout=60).raise_for_status()
    assert participants.count(real, database) == 1
    assert participants.count(forged, database) == 0


def test_a_compressed_call_is_refused_before_it_is_inflated(action_server: ActionServer) -> None:
    """rasa-sdk inflates a `deflate` body whole; 300 KB would become 300 MB."""
    bomb = zlib.compress(b"\0" * (300 * 1024 * 1024), 9)
    headers = {**action_server.token(), "Content-Encoding": "deflate", "Content-Type": "application/json"}
    refused = httpx.post(f"{action_server.url}/webhook", content=bomb, headers=headers, timeout=60)
    assert refused.status_code == 415, refused.text


def test_it_listens_on_loopback_only(action_server: ActionServer) -> None:
    port = int(action_server.url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {LOOPBACK}


def test_the_form_saves_nothing_when_the_web_server_says_the_address_is_over_its_limit(
    action_server: ActionServer,
) -> None:
    """bot.web.limits marks the message; the participant is asked to wait, and nothing is saved."""
    sender, database = new_sender(), f"sqlite:///{action_server.var / 'halsolotsen.db'}"
    call = _submit_call(sender)
    call["tracker"]["latest_message"]["metadata"] = {participants.NO_NEW_REQUEST: True}
    answer = httpx.post(f"{action_server.url}/webhook", json=call, headers=action_server.token(), timeout=60)
    answer.raise_for_status()
    assert "Vänta en liten stund" in answer.json()["responses"][0]["text"]
    assert participants.count(sender, database) == 0
