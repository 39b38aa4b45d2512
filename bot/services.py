"""Starts the assistant's processes, waits until each answers, and stops them together.

Rasa and its action server are separate processes by design (that is how the engine scales to
several machines); on one machine we start both and treat them as one assistant: if one dies,
we stop the other rather than serve half an assistant.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.settings import ACTIONS_PORT, INTERNAL_HOST, PROJECT_ROOT, RASA_PORT, TRACKER_DB, VAR_DIR, WEB_PORT

READY_TIMEOUT_SECONDS = 180
# Two runtimes, made by script/setup: Rasa and its action server on Rasa's Python 3.10 with Rasa's
# pins; the web server and the Telegram front end, which do not import Rasa, on a current Python.
RASA_PYTHON = sys.executable  # the Python running `bot run` and the tests: .venv's (script/run, script/test)
WEB_PYTHON = PROJECT_ROOT / ".venv-web" / "bin" / "python"
# What the processes print is for a person: addresses, what is missing, errors. Third-party
# libraries' deprecation notices (Rasa, TensorFlow, SQLAlchemy, sanic: about 20 at each start)
# say nothing they can act on; our own warnings and errors are other categories and still show.
QUIET = {"PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning"}


@dataclass
class Service:
    name: str
    argv: list[str]
    ready_url: str | None  # None: serves no HTTP; ready once started
    process: subprocess.Popen | None = None
    log: Path | None = None  # where its output (stdout and stderr) goes; None: this process's own


def assistant_services(
    model: Path,
    rasa_port: int = RASA_PORT,
    actions_port: int = ACTIONS_PORT,
    endpoints: Path = PROJECT_ROOT / "endpoints.yml",
    web_port: int = WEB_PORT,
) -> list[Service]:
    """The web server, the action server and the Rasa server with the REST channel."""
    return [web_server(web_port), action_server(actions_port), rasa_server(model, rasa_port, endpoints)]


def web_python() -> str:
    """The current Python of `.venv-web`; a clear message if script/setup has not made it yet."""
    if not WEB_PYTHON.exists():
        raise RuntimeError(f"{WEB_PYTHON} is missing: run ./script/setup to make the web server's Python.")
    return str(WEB_PYTHON)


def web_server(port: int, name: str = "web server") -> Service:
    """The chat page, its API, the coordinators' pages and the audio files, on the current Python."""
    return Service(name, [web_python(), "-m", "bot", "web", "--port", str(port)], f"http://localhost:{port}/health")


def action_server(port: int, name: str = "action server") -> Service:
    """One action server; several of them can stand behind a load balancer (they keep no state)."""
    return Service(
        name,
        [RASA_PYTHON, "-m", "bot.rasa.action_server", "--actions", "actions", "--port", str(port)],
        f"http://localhost:{port}/health",
    )


def rasa_server(model: Path, port: int, endpoints: Path, name: str = "Rasa server") -> Service:
    """One Rasa server with our channels; `endpoints` says where conversations, locks and actions are.
    It listens on INTERNAL_HOST only, without CORS: only our channels (web server, Telegram front
    end) talk to it, never a browser."""
    return Service(
        name,
        [
            RASA_PYTHON,
            "-m",
            "bot.rasa.server",
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
            "--interface",
            INTERNAL_HOST,
            "--port",
            str(port),
        ],
        f"http://localhost:{port}/",
    )


def telegram_front_end() -> Service:
    """The Telegram front end, a client of the REST channel like any other channel."""
    return Service("Telegram front end", [web_python(), "-m", "bot", "telegram"], ready_url=None)


def _answers(url: str | None) -> bool:
    if url is None:
        return True
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start(
    services: list[Service],
    actions_port: int = ACTIONS_PORT,
    env: dict[str, str] | None = None,
    timeout_seconds: float = READY_TIMEOUT_SECONDS,
) -> None:
    """Starts every service and returns once all answer; raises if one dies or times out."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "ACTIONS_PORT": str(actions_port),
        "HALSOLOTSEN_TRACKER_DB": str(TRACKER_DB),
        **QUIET,
        **(env or {}),
    }
    for service in services:
        with open(service.log, "ab") if service.log else contextlib.nullcontext() as output:
            service.process = subprocess.Popen(
                service.argv, cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=output
            )
    deadline = time.monotonic() + timeout_seconds
    pending = list(services)
    while pending:
        for service in list(pending):
            if service.process.poll() is not None:
                stop(services)
                raise RuntimeError(f"The {service.name} stopped while starting (exit {service.process.returncode}).")
            if _answers(service.ready_url):
                pending.remove(service)
        if pending and time.monotonic() > deadline:
            stop(services)
            raise RuntimeError(f"{', '.join(s.name for s in pending)} did not answer within {timeout_seconds:.0f} s.")
        time.sleep(0.5)


def stop(services: list[Service]) -> None:
    for service in services:
        if service.process and service.process.poll() is None:
            service.process.terminate()
    for service in services:
        if service.process:
            try:
                service.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                service.process.kill()


def serve_until_stopped(services: list[Service], housekeeping: Callable[[], None], every_seconds: float) -> int:
    """Blocks until Ctrl-C, SIGTERM or one service dying, running `housekeeping` now and then."""
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    next_housekeeping = 0.0
    try:
        while all(s.process.poll() is None for s in services):
            if time.monotonic() >= next_housekeeping:
                housekeeping()
                next_housekeeping = time.monotonic() + every_seconds
            time.sleep(1)
        dead = next(s for s in services if s.process.poll() is not None)
        print(f"The {dead.name} stopped (exit {dead.process.returncode}); stopping the assistant.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(services)
