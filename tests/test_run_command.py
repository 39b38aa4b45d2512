"""The README's first command ends in `python -m bot run`: it must start a working assistant."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.audio import library
from bot.settings import PROJECT_ROOT
from tests.assistant import WEBHOOK, Assistant, free_port
from tests.fake_telegram import FakeBotApi

TOKEN = "424242:run-command-token"


ESPEAK_WAITING_AT_A_GATE = """#!/bin/sh
# espeak-ng that speaks only once the test opens the gate: the audio build cannot finish before then.
while [ ! -e "$AUDIO_GATE" ]; do sleep 0.2; done
exec /usr/bin/espeak-ng "$@"
"""


def _without_audio_of(text: str, lang: str, audio: Path) -> None:
    """Takes one text out of a copied audio folder (manifest entry and files): the build must make it."""
    manifest = json.loads((audio / library.MANIFEST).read_text(encoding="utf-8"))
    entry = manifest.pop(library.text_key(lang, text))
    for file in audio.glob(f"{entry['file']}.*"):
        file.unlink()
    (audio / library.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_run_starts_an_assistant_with_telegram_that_answers_and_stops_cleanly(
    assistant: Assistant, tmp_path: Path
) -> None:
    """It answers before the audio build ends, and the answer carries its audio once it is made;
    what it prints is for a person, without third-party deprecation notices."""
    # The audio the session fixture made for the same content, except the greeting's: the build
    # must make that one, and it waits at a gate until the assistant has answered without it.
    greeting = assistant.say("hej")[0]
    shutil.copytree(assistant.var_dir / "audio", tmp_path / "audio")
    _without_audio_of(greeting["text"], greeting["custom"]["lang"], tmp_path / "audio")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "espeak-ng").write_text(ESPEAK_WAITING_AT_A_GATE)
    (fake_bin / "espeak-ng").chmod(0o755)
    gate = tmp_path / "gate"
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "HALSOLOTSEN_WEB_PORT": free_port()}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}}
    telegram = FakeBotApi(TOKEN).start()
    env.update(HALSOLOTSEN_VAR=str(tmp_path), HALSOLOTSEN_TTS="espeak")
    env.update(PATH=f"{fake_bin}:{env['PATH']}", AUDIO_GATE=str(gate))
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=telegram.base_url)
    printed = tmp_path / "stdout.txt"
    with printed.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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
        assert answer and answer[0]["text"] == greeting["text"]
        assert "audio" not in answer[0]["custom"], "the audio build finished before it could, or was waited for"
        gate.touch()
        while not re.search(r"Audio: \d+ made", printed.read_text(encoding="utf-8")) and time.monotonic() < deadline:
            time.sleep(0.5)
        later = httpx.post(
            f"http://localhost:{ports['RASA_PORT']}{WEBHOOK}", json={"sender": "run-later", "message": "hej"}
        ).json()
        assert httpx.get(later[0]["custom"]["audio"]).status_code == 200, printed.read_text(encoding="utf-8")
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
        output = printed.read_text(encoding="utf-8")
        assert TOKEN not in output
        assert "DeprecationWarning" not in output and "FutureWarning" not in output, output
