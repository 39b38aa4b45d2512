"""What Rasa and its action server log when something goes wrong: that it went wrong, never what
a participant wrote (bot/rasa/log_privacy.py).

Real processes with their output in files: a real Rasa server whose action endpoint is a stand-in
on loopback (it passes calls on to the real action server, or answers as a broken action server
could: 500 or 400 with the request, which holds the conversation, echoed back) and the real action
server. Each test writes a made-up name and phone number, checks that the failure is in the log,
and that neither the name nor the number is in either log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from aiohttp import ClientSession, web

from bot import keys, services
from bot.rasa.log_privacy import REMOVED, redact, redact_event
from tests.assistant import WEBHOOK, free_port, new_sender, text_of, write_endpoints

Answer = Callable[[bytes], web.Response]


def _server_error(call: bytes) -> web.Response:
    """What rasa-sdk answers when an action raises: the error and the whole request (the tracker)."""
    return web.json_response({"error": "KeyError", "request_body": json.loads(call)}, status=500)


def _rejection(call: bytes) -> web.Response:
    """A 400 as rasa-sdk sends for a rejected action, with the request as the reason."""
    return web.json_response({"action_name": json.loads(call)["next_action"], "error": call.decode()}, status=400)


def _rejection_unnamed(call: bytes) -> web.Response:
    """A 400 without the action's name: Rasa fails reading it, while handling the error that holds it."""
    return web.json_response({"error": call.decode()}, status=400)


@dataclass
class ActionGate:
    """Rasa's action endpoint: passes each call on to the real action server, but answers the
    next one with `answer` when that is set (and keeps the call, to show what the answer echoed).
    Only one: an action server that rejects every call makes Rasa 3.6 try other actions without
    end, since its limit of actions per message does not count rejected ones."""

    target: str
    answer: Answer | None = None
    echoed: list[bytes] = field(default_factory=list)
    port: int = 0

    def start(self) -> ActionGate:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = web.Application()
        app.router.add_post("/webhook", self._handle)
        runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    @staticmethod
    def _passed_on(request: web.Request) -> dict[str, str]:
        """What the action server needs of Rasa's headers: the body's type and the action token."""
        return {"Content-Type": "application/json", "Authorization": request.headers.get("Authorization", "")}

    async def _handle(self, request: web.Request) -> web.Response:
        answer, self.answer = self.answer, None
        call = await request.read()
        if answer is not None:
            self.echoed.append(call)
            return answer(call)
        async with (
            ClientSession() as session,
            session.post(self.target, data=call, headers=self._passed_on(request)) as upstream,
        ):
            return web.Response(body=await upstream.read(), status=upstream.status, content_type="application/json")


@dataclass
class Logged:
    """The running servers, the stand-in in front of the action server, and their output files."""

    rasa_url: str
    actions_url: str
    gate: ActionGate
    rasa_log: Path
    actions_log: Path
    action_token: str  # what Rasa sends with each call (bot.rasa.action_server)

    def say(self, text: str, sender: str | None = None) -> list[dict]:
        answer = httpx.post(
            f"{self.rasa_url}{WEBHOOK}", json={"sender": sender or new_sender(), "message": text}, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    def logs(self) -> str:
        return self.rasa_log.read_text(errors="replace") + self.actions_log.read_text(errors="replace")


@pytest.fixture(scope="module")
def logged(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Logged]:
    folder = tmp_path_factory.mktemp("log-privacy")
    rasa_port, actions_port = free_port(), free_port()
    gate = ActionGate(f"http://127.0.0.1:{actions_port}/webhook").start()
    endpoints = write_endpoints(folder / "endpoints.yml", gate.port, folder / "tracker.db")
    action_server = services.action_server(actions_port)
    rasa_server = services.rasa_server(trained_model, rasa_port, endpoints)
    action_server.log, rasa_server.log = folder / "action-server.log", folder / "rasa.log"
    running = [action_server, rasa_server]
    env = {"HALSOLOTSEN_VAR": str(folder / "var"), "PYTHONUNBUFFERED": "1"}
    try:
        services.start(running, actions_port, env=env)
        yield Logged(
            f"http://localhost:{rasa_port}",
            f"http://localhost:{actions_port}",
            gate,
            rasa_server.log,
            action_server.log,
            keys.shared_secret(keys.ACTION_TOKEN, folder / "var" / "keys"),
        )
    finally:
        services.stop(running)


def _new_lines(path: Path, since: int) -> str:
    return path.read_bytes()[since:].decode(errors="replace")


def _assert_nowhere(logged: Logged, *words: str) -> None:
    logs = logged.logs()
    for word in words:
        assert word not in logs, f"{word!r} is in a log:\n" + "\n".join(
            line for line in logs.splitlines() if word in line
        )


@pytest.mark.parametrize(
    ("message", "name", "phone"),
    [
        # The payload's JSON is cut short: Rasa takes the intent and warns about the rest.
        ('/handoff{"name": "Amina Yusuf", "phone": "0701234567"', "Amina Yusuf", "0701234567"),
        # No such intent: Rasa warns (listing every intent) and reads the message as text.
        ("/hej jag heter Faduma Ali 0702345678", "Faduma Ali", "0702345678"),
        # No intent at all: Rasa's structlog warning, with the message as `user_text`.
        ('/{"name": "Yonas Haile 0703456789"}', "Yonas Haile", "0703456789"),
    ],
)
def test_a_message_that_is_not_a_valid_payload_is_answered_and_not_logged(
    logged: Logged, message: str, name: str, phone: str
) -> None:
    since = logged.rasa_log.stat().st_size
    answer = logged.say(message)
    assert text_of(answer).strip(), answer  # the participant gets an answer
    _assert_nowhere(logged, name, phone)
    new = _new_lines(logged.rasa_log, since)
    assert "Failed to parse arguments in line" in new or "message.parsing.failed" in new, new  # it is logged


@pytest.mark.parametrize(
    ("answer", "logged_as", "name", "phone"),
    [
        (_server_error, "ClientResponseError: HTTP 500", "Hodan Warsame", "0731112233"),
        (_rejection, "The action server answered HTTP 400", "Ayaan Hirsi", "0732223344"),
        (_rejection_unnamed, "ClientResponseError: HTTP 400", "Mebrat Kidane", "0733334455"),
    ],
)
def test_a_failing_action_is_logged_without_the_conversation(
    logged: Logged, answer: Answer, logged_as: str, name: str, phone: str
) -> None:
    since = logged.rasa_log.stat().st_size
    logged.gate.answer, logged.gate.echoed = answer, []
    logged.say(f"Hej, jag heter {name} och mitt nummer är {phone}. Vad gör en vårdcentral?")
    assert logged.gate.echoed and name.encode() in logged.gate.echoed[0]  # the answer did hold the conversation
    _assert_nowhere(logged, name, phone)
    new = _new_lines(logged.rasa_log, since)
    assert logged_as in new, new
    if answer is not _rejection:  # for a 400 Rasa logs the action server's reason, and nothing more
        action = json.loads(logged.gate.echoed[0])["next_action"]
        assert f"Encountered an exception while running action '{action}'" in new, new


def test_an_action_that_fails_in_the_action_server_is_logged_without_slot_values(logged: Logged) -> None:
    """The confirmation question reads the contact choice from a table; a slot value it does not
    know (here sent straight to the action server, with Rasa's action token) raises a KeyError
    that quotes the value."""
    since = logged.actions_log.stat().st_size
    slots = {"handoff_name": "Selam Tesfaye", "handoff_contact": "Selam Tesfaye 0762223344", "handoff_times": "any"}
    tracker = {"sender_id": new_sender(), "slots": slots, "latest_message": {"text": "ja"}, "events": []}
    call = {"next_action": "action_ask_handoff_confirm", "tracker": tracker, "domain": {}}
    token = {"Authorization": f"Bearer {logged.action_token}"}
    failed = httpx.post(f"{logged.actions_url}/webhook", json=call, headers=token, timeout=60)
    assert failed.status_code == 500
    _assert_nowhere(logged, "Selam Tesfaye", "0762223344")
    new = _new_lines(logged.actions_log, since)
    assert "Exception occurred during execution of request" in new, new
    assert f"KeyError: {REMOVED}" in new, new


def test_the_servers_logs_are_files_here(logged: Logged) -> None:
    """Guards the tests above: they see the servers' real output, not an empty file."""
    assert "Starting Rasa server on" in logged.rasa_log.read_text(errors="replace")
    assert "Action endpoint is up and running" in logged.actions_log.read_text(errors="replace")


# The redaction itself, on records as rasa-sdk, Rasa and structlog make them (no servers).


def _raised(make: Callable[[], object]) -> BaseException:
    try:
        make()
    except BaseException as error:  # any exception is what the test wants
        return error
    raise AssertionError("nothing was raised")


def _record(name: str, msg: str, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, (), exc_info)


def test_a_traceback_keeps_its_frames_and_types_but_not_messages() -> None:
    slot_value = "Selam Tesfaye"  # frames show source lines: the name is not written in them

    def fail() -> None:
        try:
            {}[slot_value]
        except KeyError as error:
            raise ValueError(f"{slot_value} again") from error

    record = _record("rasa_sdk.endpoint", "Exception occurred during execution of request", _raised(fail))
    redact(record)
    shown = logging.Formatter().format(record)
    assert "Selam" not in shown
    assert f"KeyError: {REMOVED}" in shown and f"ValueError: {REMOVED}" in shown
    assert "The above exception was the direct cause of the following exception:" in shown
    assert 'raise ValueError(f"{slot_value} again") from error' in shown  # frames, with their source lines
    assert shown.startswith("Exception occurred during execution of request")


def test_what_is_about_the_machine_stays() -> None:
    record = _record("sanic.error", "Could not start", _raised(lambda: open("/nonexistent/model.tar.gz")))
    redact(record)
    assert "No such file or directory: '/nonexistent/model.tar.gz'" in logging.Formatter().format(record)


def test_a_record_without_a_conversation_stays_as_it_is() -> None:
    record = _record("rasa.core.processor", "Loading model %s...", None)
    record.args = ("models/halsolotsen.tar.gz",)
    redact(record)
    assert record.getMessage() == "Loading model models/halsolotsen.tar.gz..."


def test_a_structlog_event_keeps_its_name_and_explanation_only() -> None:
    error = _raised(lambda: {}["Selam Tesfaye"])
    event = redact_event(None, "error", {"event": "x.failed", "event_info": "Why.", "text": "Selam", "exc_info": error})
    assert event["event"] == "x.failed" and event["event_info"] == "Why." and event["text"] == REMOVED
    assert event["exception"].endswith(f"KeyError: {REMOVED}") and event["exc_info"] is False
