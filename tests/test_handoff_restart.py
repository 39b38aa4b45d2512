"""Nothing is lost: every process is killed (SIGKILL, no clean shutdown) the moment the participant
has confirmed a hand-off, and after a restart the request is there for the coordinator, and the
participant is told they already have one instead of starting over."""

from __future__ import annotations

import uuid
from pathlib import Path

from bot import services
from bot.accounts import store as accounts
from tests.assistant import Assistant, free_port, new_sender, text_of, write_endpoints
from tests.coordinator import MALMO, PASSWORD, Coordinator, database_url
from tests.test_handoff import fill_form, requests_of, tap


def _start(model: Path, folder: Path) -> tuple[list[services.Service], Assistant]:
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(folder / "endpoints.yml", actions_port, folder / "tracker.db")
    running = services.assistant_services(model, rasa_port, actions_port, endpoints, web_port)
    web_url = f"http://localhost:{web_port}"
    env = {
        "HALSOLOTSEN_VAR": str(folder / "var"),
        "HALSOLOTSEN_PUBLIC_URL": web_url,
        "HALSOLOTSEN_RASA_URL": f"http://localhost:{rasa_port}",
    }
    services.start(running, actions_port, env=env)
    return running, Assistant(f"http://localhost:{rasa_port}", Path(), web_url, folder / "var")


def _kill(running: list[services.Service]) -> None:
    for service in running:
        service.process.kill()
        service.process.wait()


def test_a_confirmed_request_survives_killing_every_process(trained_model: Path, tmp_path: Path) -> None:
    running, assistant = _start(trained_model, tmp_path)
    try:
        username = f"malmo-{uuid.uuid4().hex[:6]}"
        accounts.create(username, PASSWORD, "coordinator", [MALMO], database_url(assistant))
        sender = new_sender()
        sent = tap(assistant, sender, fill_form(assistant, sender), "Ja")
        reference = next(m["custom"]["handoff"] for m in sent if "handoff" in m.get("custom", {}))
    finally:
        _kill(running)
    assert [status for _, status in requests_of(assistant, sender)] == ["new"]

    running, assistant = _start(trained_model, tmp_path)
    try:
        coordinator = Coordinator(assistant, username)
        assert reference in [r["reference"] for r in coordinator.get("/requests").json()]
        again = assistant.say("jag vill prata med en koordinator", sender)
        assert f"Du har redan en förfrågan. Den har nummer {reference}." in text_of(again)
    finally:
        services.stop(running)
