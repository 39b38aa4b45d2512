"""The README's first command ends in `python -m bot run`: it must start a working assistant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT
from tests.assistant import WEBHOOK, free_port


def test_run_starts_an_assistant_that_answers_and_stops_cleanly(trained_model: Path, tmp_path: Path) -> None:
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "HALSOLOTSEN_VAR": str(tmp_path),
    }
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        answer = None
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                response = httpx.post(
                    f"http://localhost:{rasa_port}{WEBHOOK}", json={"sender": "run", "message": "hej"}
                )
                answer = response.json()
            except httpx.HTTPError:
                time.sleep(1)
        assert answer and "Hälsolotsen" in answer[0]["text"]
        assert (tmp_path / "tracker.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
