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
from tests.fake_telegram import FakeBotApi

TOKEN = "424242:run-command-token"


def test_run_starts_an_assistant_with_telegram_that_answers_and_stops_cleanly(
    assistant: Assistant, tmp_path: Path
) -> None:
    # The audio the session fixture made for the same content: the run command finds it up to date.
    shutil.copytree(assistant.var_dir / "audio", tmp_path / "audio")
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "HALSOLOTSEN_WEB_PORT": free_port()}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}}
    telegram = FakeBotApi(TOKEN).start()
    env.update(HALSOLOTSEN_VAR=str(tmp_path), HALSOLOTSEN_TTS="espeak")
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=telegram.base_url)
    printed = tmp_path / "stdout.txt"
    with printed.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env, stdout=stdout, start_new_session=True
        )
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
        page_url = f"http://localhost:{ports['HALSOLOTSEN_WEB_PORT']}/"
        while "Stop with Ctrl-C" not in printed.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert f"Classroom chat page: {page_url}" in printed.read_text(encoding="utf-8")
        assert f'<iframe src="{page_url}" title="Hälsolotsen"' in printed.read_text(encoding="utf-8")
        page = httpx.get(page_url)
        assert page.status_code == 200 and "widget/widget.js" in page.text
        assert "Telegram: on." in printed.read_text(encoding="utf-8")
        telegram.wait_for(lambda calls: [c for c in calls if c.method == "getUpdates"])
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert TOKEN not in printed.read_text(encoding="utf-8")
