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
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from bot.audio import library
from bot.cli import AUDIO_WATCH_SECONDS
from bot.content.store import load
from bot.ops import READY_PATH
from bot.settings import PROJECT_ROOT
from tests.assistant import WEBHOOK, Assistant, free_port
from tests.fake_telegram import FakeBotApi

TOKEN = "424242:run-command-token"


ESPEAK_WAITING_AT_A_GATE = """#!/bin/sh
# espeak-ng that speaks only once the test opens the gate: the audio build cannot finish before then.
while [ ! -e "$AUDIO_GATE" ]; do sleep 0.2; done
exec /usr/bin/espeak-ng "$@"
"""


def _ports() -> dict[str, int]:
    """Free ports for every process and its operations port, so nothing meets another test's."""
    names = ("RASA_PORT", "ACTIONS_PORT", "HALSOLOTSEN_WEB_PORT")
    ops = ("HALSOLOTSEN_WEB_OPS_PORT", "HALSOLOTSEN_ACTIONS_OPS_PORT", "HALSOLOTSEN_TELEGRAM_OPS_PORT")
    return {name: free_port() for name in (*names, *ops)}


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
    ports = _ports()
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


def _wait_for(condition: Callable[[], bool], seconds: float, what: str, output: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds:.0f} s\n{output.read_text(encoding='utf-8')}"
        time.sleep(0.5)


def _readiness(url: str) -> tuple[int, dict]:
    try:
        answer = httpx.get(url, timeout=5)
    except httpx.HTTPError:
        return 0, {}
    return answer.status_code, answer.json()


def test_run_restarts_a_killed_rasa_server_and_readiness_follows_it(assistant: Assistant, tmp_path: Path) -> None:
    """`bot run` prints its addresses only once every process is ready. Killing its Rasa server
    turns the web server and the Telegram front end unready, naming Rasa (the action server, which
    does not need Rasa, stays ready); `bot run` starts Rasa again after a pause, and all are ready
    and answering again. The promise in docs/operators.md, "Restarts"."""
    shutil.copytree(assistant.var_dir / "audio", tmp_path / "audio")  # nothing left to build
    ports = _ports()
    telegram = FakeBotApi(TOKEN).start()
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}}
    env.update(HALSOLOTSEN_VAR=str(tmp_path), HALSOLOTSEN_TTS="espeak", PYTHONUNBUFFERED="1")
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=telegram.base_url)
    ready = {
        "web": f"http://127.0.0.1:{ports['HALSOLOTSEN_WEB_OPS_PORT']}/ready",
        "actions": f"http://127.0.0.1:{ports['HALSOLOTSEN_ACTIONS_OPS_PORT']}/ready",
        "telegram": f"http://127.0.0.1:{ports['HALSOLOTSEN_TELEGRAM_OPS_PORT']}/ready",
        "rasa": f"http://localhost:{ports['RASA_PORT']}{READY_PATH}",
    }
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
        _wait_for(lambda: "Stop with Ctrl-C" in printed.read_text(encoding="utf-8"), 300, "bot run started", printed)
        assert {name: _readiness(url)[0] for name, url in ready.items()} == dict.fromkeys(ready, 200)
        [rasa] = [c for c in psutil.Process(process.pid).children() if "bot.rasa.server" in c.cmdline()]
        rasa.kill()

        _wait_for(lambda: _readiness(ready["web"])[0] == 503, 30, "the web server unready", printed)
        checks = _readiness(ready["web"])[1]["checks"]
        assert checks["rasa"].startswith("unreachable") and checks["database"] == checks["content"] == "ok", checks
        _wait_for(lambda: _readiness(ready["telegram"])[0] == 503, 30, "the Telegram front end unready", printed)
        assert _readiness(ready["actions"])[0] == 200
        # bot run notices within its next poll, which may come after the hourly housekeeping it runs at start
        restarting = "The Rasa server stopped (exit -9); starting it again in 1 s."
        _wait_for(lambda: restarting in printed.read_text(encoding="utf-8"), 120, "the restart announced", printed)

        _wait_for(lambda: all(_readiness(url)[0] == 200 for url in ready.values()), 300, "all ready again", printed)
        [again] = [c for c in psutil.Process(process.pid).children() if "bot.rasa.server" in c.cmdline()]
        assert again.pid != rasa.pid
        web = f"http://localhost:{ports['HALSOLOTSEN_WEB_PORT']}"
        answer = httpx.post(f"{web}/api/chat", json={"sender": "a" * 16, "message": "hej"}, timeout=60)
        assert answer.status_code == 200 and answer.json()[0]["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_an_answer_edited_while_running_gets_its_audio_without_a_restart(assistant: Assistant, tmp_path: Path) -> None:
    """`bot run` keeps `bot audio --watch` running: a text corrected in the editor or the studio
    (here: saved by hand) is spoken within seconds, and a broken save stops nothing."""
    content = tmp_path / "content"
    shutil.copytree(assistant.content_dir, content)
    shutil.copytree(assistant.var_dir / "audio", tmp_path / "audio")  # nothing left to build at start
    env = {**os.environ, "HALSOLOTSEN_CONTENT": str(content), "HALSOLOTSEN_VAR": str(tmp_path)}
    printed = tmp_path / "stdout.txt"
    with printed.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "audio", "--engine", "espeak", "--watch"],
            cwd=PROJECT_ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: "Audio: " in printed.read_text(encoding="utf-8"), 120, "the first build", printed)
        section = content / "sv" / "vem_gor_vad.yml"
        original = section.read_text(encoding="utf-8")
        assert "      Det är en skola för vuxna.\n" in original
        section.write_text(original.replace("Det är en skola för vuxna.", "Det är en skola för alla vuxna."))
        edited = next(s for s in library.speakables(load(content)) if (s.lang, s.audio_id) == ("sv", "sfi"))
        assert "en skola för alla vuxna" in edited.text
        manifest = tmp_path / "audio" / library.MANIFEST

        def spoken() -> bool:
            return library.text_key("sv", edited.text) in json.loads(manifest.read_text(encoding="utf-8"))

        _wait_for(spoken, 60, "audio for the edited text", printed)
        # the manifest is written before the build's line is printed: wait for the line too
        made_one = re.compile(r"Audio: 1 made, \d+ unchanged")
        _wait_for(lambda: bool(made_one.search(printed.read_text(encoding="utf-8"))), 30, "its report", printed)

        section.write_text(original + "\n  - id: [broken\n", encoding="utf-8")
        time.sleep(3 * AUDIO_WATCH_SECONDS)
        assert process.poll() is None, printed.read_text(encoding="utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)
