"""Backup while the assistant runs, restore into a fresh folder, start from it: it answers, and a
participant's hand-off request, their coordinator's account and the keys are all still there.

The request is written seconds before the backup, so it sits in SQLite's write-ahead log (the
running processes keep their connections, and nothing has checkpointed it): a plain copy of the
database file would not have it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from bot import keys, services
from bot.accounts import store as accounts
from bot.settings import CONTENT_DIR, PROJECT_ROOT
from tests.assistant import Assistant, answered_item, free_port, new_sender, write_endpoints
from tests.coordinator import MALMO, PASSWORD, Coordinator, database_url
from tests.test_handoff import fill_form, requests_of, tap


def _folders(root: Path) -> dict[str, str]:
    return {"HALSOLOTSEN_VAR": str(root / "var"), "HALSOLOTSEN_CONTENT": str(root / "content")}


def _bot(command: list[str], root: Path) -> subprocess.CompletedProcess:
    """`python -m bot …` with this machine's folders under `root`, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *command],
        cwd=PROJECT_ROOT,
        env={**os.environ, **_folders(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _start(model: Path, root: Path) -> tuple[list[services.Service], Assistant]:
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(root / "endpoints.yml", actions_port, root / "var" / "tracker.db")
    running = services.assistant_services(model, rasa_port, actions_port, endpoints, web_port)
    web_url = f"http://localhost:{web_port}"
    env = {**_folders(root), "HALSOLOTSEN_PUBLIC_URL": web_url, "HALSOLOTSEN_RASA_URL": f"http://localhost:{rasa_port}"}
    services.start(running, actions_port, env=env)
    return running, Assistant(f"http://localhost:{rasa_port}", root / "content", web_url, root / "var")


def test_a_backup_of_a_running_assistant_restores_into_an_assistant_that_answers(
    trained_model: Path, tmp_path: Path
) -> None:
    before, after, folder = tmp_path / "before", tmp_path / "after", tmp_path / "backup"
    shutil.copytree(CONTENT_DIR, before / "content")
    running, assistant = _start(trained_model, before)
    try:
        username = f"malmo-{uuid.uuid4().hex[:6]}"
        accounts.create(username, PASSWORD, "coordinator", [MALMO], database_url(assistant))
        sender = new_sender()
        sent = tap(assistant, sender, fill_form(assistant, sender), "Ja")
        reference = next(m["custom"]["handoff"] for m in sent if "handoff" in m.get("custom", {}))
        sender_key = keys.shared_secret(keys.SENDER_KEY, before / "var" / "keys")
        made = _bot(["backup", str(folder)], before)
        assert made.returncode == 0, made.stderr
    finally:
        services.stop(running)

    restored = _bot(["restore", str(folder)], after)
    assert restored.returncode == 0, restored.stderr
    assert keys.shared_secret(keys.SENDER_KEY, after / "var" / "keys") == sender_key
    running, assistant = _start(trained_model, after)
    try:
        assert answered_item(assistant.say("Hur bokar jag tid hos tandläkaren?", new_sender()))
        assert [status for _, status in requests_of(assistant, sender)] == ["new"]
        coordinator = Coordinator(assistant, username)
        assert reference in [r["reference"] for r in coordinator.get("/requests").json()]
    finally:
        services.stop(running)


def test_a_backup_never_overwrites_and_restore_never_deletes(tmp_path: Path) -> None:
    """Bad input: a clear line and a non-zero exit, and nothing changed."""
    here = tmp_path / "here"
    (here / "var" / "keys").mkdir(parents=True)
    (here / "var" / "keys" / "halsolotsen_sender_key").write_text("the only copy", encoding="ascii")
    shutil.copytree(CONTENT_DIR, here / "content")
    not_empty = tmp_path / "not-empty"
    not_empty.mkdir()
    (not_empty / "last-week").write_text("an older backup", encoding="utf-8")

    refused = _bot(["backup", str(not_empty)], here)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"{not_empty} is not empty: give a new folder, so that no backup is overwritten."
    assert (not_empty / "last-week").read_text(encoding="utf-8") == "an older backup"

    no_manifest = _bot(["restore", str(not_empty)], here)
    assert no_manifest.returncode == 1
    assert "not a backup, or the backup did not finish" in no_manifest.stderr

    assert _bot(["backup", str(tmp_path / "backup")], here).returncode == 0
    (here / "var" / "keys" / "halsolotsen_sender_key").write_text("made after the backup", encoding="ascii")
    in_the_way = _bot(["restore", str(tmp_path / "backup")], here)
    assert in_the_way.returncode == 1
    assert "Data is already there" in in_the_way.stderr
    assert (here / "var" / "keys" / "halsolotsen_sender_key").read_text(encoding="ascii") == "made after the backup"

    assert _bot(["restore", "--replace", str(tmp_path / "backup")], here).returncode == 0
    assert (here / "var" / "keys" / "halsolotsen_sender_key").read_text(encoding="ascii") == "the only copy"
    [aside] = (here / "var").glob("keys.replaced-*")
    assert (aside / "halsolotsen_sender_key").read_text(encoding="ascii") == "made after the backup"
