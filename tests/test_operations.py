"""What an operator's monitoring relies on (issue 18), against the real servers: each process's
readiness checks its real dependencies; the metrics move after a real chat and carry no personal
data; the web server's logs (JSON lines, access log) hold neither sender ids nor message text."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import languages, metrics, services
from bot.ops import READY_PATH
from tests.assistant import Assistant, answered_item
from tests.coordinator import MALMO, Coordinator
from tests.test_handoff import book

HOSTILE_MESSAGE = "Mitt namn är Zelda Qwerty och jag har ont i magen"


def metric(ops_url: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels`, as Prometheus would scrape it."""
    text = httpx.get(f"{ops_url}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(key) == value for key, value in labels.items())
    )


def chat(web_url: str, sender: str, message: str) -> list[dict]:
    answer = httpx.post(f"{web_url}/api/chat", json={"sender": sender, "message": message}, timeout=60)
    answer.raise_for_status()
    return answer.json()


def test_each_process_is_ready_and_says_what_it_checked(assistant: Assistant) -> None:
    web = httpx.get(f"{assistant.ops['web']}/ready", timeout=10)
    assert web.status_code == 200, web.text
    assert web.json() == {
        "status": "ready",
        "checks": {"database": "ok", "rasa": "ok", "content": "ok", "audio": "ok"},
    }
    actions = httpx.get(f"{assistant.ops['actions']}/ready", timeout=10)
    assert actions.json() == {"status": "ready", "checks": {"database": "ok", "content": "ok"}}, actions.text
    rasa = httpx.get(f"{assistant.url}{READY_PATH}", timeout=10)
    assert rasa.json() == {"status": "ready", "checks": {"model": "ok", "database": "ok"}}, rasa.text
    assert httpx.get(f"{assistant.ops['actions']}/health", timeout=10).json()["process"] == "action server"


def test_a_web_server_without_rasa_is_alive_but_not_ready(tmp_path: Path) -> None:
    """The real web server with nothing at its Rasa address: live, and unready naming only Rasa."""
    web = services.web_server(services.free_port())
    web.ready_url = web.health_url
    env = {"HALSOLOTSEN_VAR": str(tmp_path), "HALSOLOTSEN_RASA_URL": f"http://127.0.0.1:{services.free_port()}"}
    services.start([web], env=env)
    try:
        ready = httpx.get(web.health_url.replace("/health", "/ready"), timeout=10)
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks.pop("rasa").startswith("unreachable")
        assert checks == {"database": "ok", "content": "ok", "audio": "ok"}
    finally:
        services.stop([web])


def test_the_public_health_answer_names_no_versions(assistant: Assistant) -> None:
    assert httpx.get(f"{assistant.web_url}/health", timeout=10).json() == {"status": "ok"}
    assert httpx.get(f"{assistant.web_url}/ready", timeout=10).status_code == 404  # only on the operations port
    assert httpx.get(f"{assistant.web_url}/metrics", timeout=10).status_code == 404


@pytest.fixture
def malmo(assistant: Assistant, coordinators: dict[str, str]) -> Iterator[Coordinator]:
    coordinator = Coordinator(assistant, coordinators[MALMO])
    assert coordinator.login.status_code == 200
    yield coordinator
    coordinator.http.close()


def test_counters_move_after_a_real_chat(assistant: Assistant, malmo: Coordinator) -> None:
    web, actions = assistant.ops["web"], assistant.ops["actions"]
    sv_messages = metric(web, "halsolotsen_messages_total", channel="web", language="sv")
    ar_messages = metric(web, "halsolotsen_messages_total", channel="web", language="ar")
    timed = metric(web, "halsolotsen_answer_seconds_count", channel="web")
    unanswered = metric(actions, "halsolotsen_unanswered_total", language="sv")
    emergencies = metric(actions, "halsolotsen_emergency_answers_total", language="sv")
    opened = metric(actions, "halsolotsen_handoff_requests_total", outcome="opened")
    booked, closed = (metric(web, "halsolotsen_handoff_requests_total", outcome=o) for o in ("booked", "closed"))

    page = uuid.uuid4().hex
    chat(assistant.web_url, page, "hej")
    assert chat(assistant.web_url, uuid.uuid4().hex, "كيف أنام بشكل أفضل")[0]["custom"]["lang"] == "ar"
    assert answered_item(chat(assistant.web_url, page, "blorf quzzle zzzt")) in (None, "out_of_scope")
    assert answered_item(chat(assistant.web_url, page, "min man andas inte")) == "akut_112"
    sender = f"web-{uuid.uuid4().hex}"
    request_id = malmo.request_id(book(assistant, sender))
    assert malmo.post(f"/requests/{request_id}/claim", {}).status_code == 200
    assert malmo.post(f"/requests/{request_id}/status", {"status": "booked"}).status_code == 200
    assert malmo.post(f"/requests/{request_id}/status", {"status": "closed"}).status_code == 200

    assert metric(web, "halsolotsen_messages_total", channel="web", language="sv") == sv_messages + 3
    assert metric(web, "halsolotsen_messages_total", channel="web", language="ar") == ar_messages + 1
    assert metric(web, "halsolotsen_answer_seconds_count", channel="web") == timed + 4
    assert metric(actions, "halsolotsen_unanswered_total", language="sv") == unanswered + 1
    assert metric(actions, "halsolotsen_emergency_answers_total", language="sv") == emergencies + 1
    assert metric(actions, "halsolotsen_handoff_requests_total", outcome="opened") == opened + 1
    assert metric(web, "halsolotsen_handoff_requests_total", outcome="booked") == booked + 1
    assert metric(web, "halsolotsen_handoff_requests_total", outcome="closed") == closed + 1


def test_metric_labels_hold_only_fixed_values(assistant: Assistant) -> None:
    """After a message with a name in it, every label of every metric is from a fixed set."""
    page = uuid.uuid4().hex
    chat(assistant.web_url, page, HOSTILE_MESSAGE)
    allowed = {
        "channel": {*metrics.CHANNELS, metrics.OTHER},
        "language": {*languages.codes(), metrics.OTHER},
        "outcome": {*metrics.HANDOFF_OUTCOMES, "unsure", "out_of_scope", metrics.OTHER},
    }
    for ops_url in assistant.ops.values():
        text = httpx.get(f"{ops_url}/metrics", timeout=10).text
        assert page not in text and "Zelda" not in text
        for family in text_string_to_metric_families(text):
            if not family.name.startswith("halsolotsen_"):
                continue
            for sample in family.samples:
                for label, value in sample.labels.items():
                    if label != "le":  # a histogram's bucket bound
                        assert value in allowed[label], (sample.name, label, value)


@pytest.fixture(scope="module")
def json_logged_web_server(
    assistant: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A second web server in front of the test assistant, with JSON logs written to a file."""
    log = tmp_path_factory.mktemp("web-log") / "web.log"
    port = services.free_port()
    web = services.web_server(port)
    web.log = log
    env = {
        "HALSOLOTSEN_CONTENT": str(assistant.content_dir),
        "HALSOLOTSEN_VAR": str(assistant.var_dir),
        "HALSOLOTSEN_RASA_URL": assistant.url,
        "HALSOLOTSEN_LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    services.start([web], env=env)
    try:
        yield f"http://localhost:{port}", log
    finally:
        services.stop([web])


def test_the_access_log_of_a_real_chat_has_routes_but_no_sender_or_text(
    json_logged_web_server: tuple[str, Path],
) -> None:
    url, log = json_logged_web_server
    page = uuid.uuid4().hex
    assert chat(url, page, HOSTILE_MESSAGE)
    assert httpx.post(f"{url}/api/chat/inbox", json={"sender": page}, timeout=30).status_code == 200
    # a query that carries the page's id: the access log must not write what came after the path
    assert httpx.get(f"{url}/koordinator/api/requests/4711", params={"from": page}, timeout=30).status_code == 401
    deadline = time.monotonic() + 10  # a request's access line is written just after its answer
    while "/koordinator/api/requests/" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    access = [
        (line["method"], line["route"], line["status"]) for line in lines if line["logger"] == "halsolotsen.access"
    ]
    assert ("POST", "/api/chat", 200) in access
    assert ("POST", "/api/chat/inbox", 200) in access
    assert ("GET", "/koordinator/api/requests/{request_id}", 401) in access
    for secret in (page, "Zelda", "Qwerty", "ont i magen", "4711", "127.0.0.1"):
        assert secret not in text
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", line["timestamp"]) for line in lines)
