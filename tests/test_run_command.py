"""The README's first command ends in `python -m bot run`: it must start a working assistant."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT
from tests.assistant import WEBHOOK, Assistant, free_port


def test_run_starts_an_assistant_that_answers_and_stops_cleanly(assistant: Assistant, tmp_path: Path) -> None:
    # The audio the session fixture made for the same content: the run command finds it up to date.
    shutil.copytree(assistant.var_dir / "audio", tmp_path / "audio")
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "HALSOLOTSEN_WEB_PORT": free_port()}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}}
    env.update(HALSOLOTSEN_VAR=str(tmp_path), HALSOLOTSEN_TTS="espeak")
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        answer = None
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                message = {"sender": "run", "message": "hej"}
                answer = httpx.post(f"http://localhost:{ports['RASA_PORT']}{WEBHOOK}", json=message).json()
            except httpx.HTTPError:
                time.sleep(1)
        assert answer and "Hälsolotsen" in answer[0]["text"]
        assert httpx.get(answer[0]["custom"]["audio"]).status_code == 200
        assert (tmp_path / "tracker.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
