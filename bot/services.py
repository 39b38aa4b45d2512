"""Starts the assistant's processes, waits until each is ready, keeps them running, stops them together.

Rasa and its action server are separate processes by design (that is how the engine scales to
several machines); on one machine we start them all and treat them as one assistant. "Ready" is
each process's readiness (bot/ops.py; the Rasa server's on its REST channel), which checks what
it needs (database, Rasa, content, audio), not merely that a port answers.

A child that stops on its own is started again after a pause that doubles with each stop (1 s,
2 s, 4 s … at most 60 s), while the others keep serving; a crash of one part (Rasa running out of
memory) costs a minute, not a restart of everything. A child that stops more than
CRASHES_TOLERATED times within CRASH_WINDOW_SECONDS is broken, not unlucky: then everything is
stopped and `bot run` exits with status 1, for systemd (deploy/halsolotsen.service) or an
operator to see.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot import ops
from bot.settings import (
    ACTIONS_OPS_PORT,
    ACTIONS_PORT,
    INTERNAL_HOST,
    OPS_HOST,
    PROJECT_ROOT,
    RASA_PORT,
    TELEGRAM_OPS_PORT,
    TRACKER_DB,
    VAR_DIR,
    WEB_OPS_PORT,
    WEB_PORT,
)

READY_TIMEOUT_SECONDS = 180
# Two runtimes, made by script/setup: Rasa and its action server on Rasa's Python 3.10 with Rasa's
# pins; the web server and the Telegram front end, which do not import Rasa, on a current Python.
RASA_PYTHON = sys.executable  # the Python running `bot run` and the tests: .venv's (script/run, script/test)
WEB_PYTHON = PROJECT_ROOT / ".venv-web" / "bin" / "python"
# What the processes print is for a person: addresses, what is missing, errors. Third-party
# libraries' deprecation notices (Rasa, TensorFlow, SQLAlchemy, sanic: about 20 at each start)
# say nothing they can act on; our own warnings and errors are other categories and still show.
QUIET = {"PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning"}
RESTART_PAUSES_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)
CRASH_WINDOW_SECONDS = 600.0
CRASHES_TOLERATED = 5


@dataclass(frozen=True)
class Restarts:
    """How `serve_until_stopped` restarts a child that stopped: the pause before the n-th restart
    within the window, and how many stops within the window it tolerates."""

    pauses_seconds: tuple[float, ...] = RESTART_PAUSES_SECONDS
    window_seconds: float = CRASH_WINDOW_SECONDS
    tolerated: int = CRASHES_TOLERATED


@dataclass
class Service:
    name: str
    argv: list[str]
    ready_url: str | None  # its readiness; None: serves no HTTP, ready once started
    process: subprocess.Popen | None = None
    log: Path | None = None  # where its output (stdout and stderr) goes; None: this process's own
    health_url: str | None = None  # its liveness, where it has one apart from readiness
    environment: dict[str, str] | None = None  # what `start` gave it; a restart gives it the same


def assistant_services(
    model: Path,
    rasa_port: int = RASA_PORT,
    actions_port: int = ACTIONS_PORT,
    endpoints: Path = PROJECT_ROOT / "endpoints.yml",
    web_port: int = WEB_PORT,
    ops_ports: dict[str, int] | None = None,
) -> list[Service]:
    """The web server, the action server and the Rasa server with the REST channel. `ops_ports`
    gives the operations ports ("web", "actions"); free ones are picked for any not given."""
    ports = ops_ports or {}
    return [
        web_server(web_port, ops_port=ports.get("web")),
        action_server(actions_port, ops_port=ports.get("actions")),
        rasa_server(model, rasa_port, endpoints),
    ]


def default_ops_ports() -> dict[str, int]:
    """The operations ports of the settings, as `bot run` uses them."""
    return {"web": WEB_OPS_PORT, "actions": ACTIONS_OPS_PORT, "telegram": TELEGRAM_OPS_PORT}


def free_port() -> int:
    """A port nothing listens on now (for children whose operations port nobody set)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ops_url(port: int, path: str) -> str:
    """Where this machine reaches a child's operations port (bound to OPS_HOST, loopback by default)."""
    host = "127.0.0.1" if OPS_HOST in ("0.0.0.0", "::", "") else OPS_HOST  # noqa: S104 - compared, not bound
    return f"http://{host}:{port}{path}"


def _with_ops_port(name: str, argv: list[str], port: int | None) -> Service:
    port = port or free_port()
    return Service(name, [*argv, "--ops-port", str(port)], ops_url(port, "/ready"), health_url=ops_url(port, "/health"))


def web_python() -> str:
    """The current Python of `.venv-web`; a clear message if script/setup has not made it yet."""
    if not WEB_PYTHON.exists():
        raise RuntimeError(f"{WEB_PYTHON} is missing: run ./script/setup to make the web server's Python.")
    return str(WEB_PYTHON)


def web_server(port: int, name: str = "web server", ops_port: int | None = None) -> Service:
    """The chat page, its API, the coordinators' pages and the audio files, on the current Python."""
    return _with_ops_port(name, [web_python(), "-m", "bot", "web", "--port", str(port)], ops_port)


def action_server(port: int, name: str = "action server", ops_port: int | None = None) -> Service:
    """One action server; several of them can stand behind a load balancer (they keep no state)."""
    argv = [RASA_PYTHON, "-m", "bot.rasa.action_server", "--actions", "actions", "--port", str(port)]
    return _with_ops_port(name, argv, ops_port)


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
        f"http://localhost:{port}{ops.READY_PATH}",
        health_url=f"http://localhost:{port}/",
    )


def telegram_front_end(ops_port: int | None = None) -> Service:
    """The Telegram front end, a client of the REST channel like any other channel."""
    return _with_ops_port("Telegram front end", [web_python(), "-m", "bot", "telegram"], ops_port)


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
        service.environment = environment
        _launch(service)
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


def _launch(service: Service) -> None:
    with open(service.log, "ab") if service.log else contextlib.nullcontext() as output:
        service.process = subprocess.Popen(
            service.argv, cwd=PROJECT_ROOT, env=service.environment, stdout=output, stderr=output
        )


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


def serve_until_stopped(
    services: list[Service],
    housekeeping: Callable[[], None],
    every_seconds: float,
    restarts: Restarts = Restarts(),
) -> int:
    """Blocks until Ctrl-C or SIGTERM (0), restarting a child that stops, with back-off, and
    running `housekeeping` now and then; 1 when a child stops too often (module docstring)."""
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    stops: dict[str, list[float]] = {service.name: [] for service in services}
    restart_at: dict[str, float] = {}
    next_housekeeping = 0.0
    try:
        while True:
            now = time.monotonic()
            for service in services:
                if service.name in restart_at:
                    if now >= restart_at[service.name]:
                        del restart_at[service.name]
                        _launch(service)
                        print(f"Started the {service.name} again.", file=sys.stderr, flush=True)
                    continue
                if service.process.poll() is None:
                    continue
                recent = [*(t for t in stops[service.name] if now - t < restarts.window_seconds), now]
                stops[service.name] = recent
                code = service.process.returncode
                if len(recent) > restarts.tolerated:
                    minutes = restarts.window_seconds / 60
                    print(
                        f"The {service.name} stopped (exit {code}) {len(recent)} times within {minutes:g} minutes;"
                        " stopping the assistant.",
                        file=sys.stderr,
                        flush=True,
                    )
                    return 1
                pause = restarts.pauses_seconds[min(len(recent), len(restarts.pauses_seconds)) - 1]
                restart_at[service.name] = now + pause
                print(
                    f"The {service.name} stopped (exit {code}); starting it again in {pause:g} s.",
                    file=sys.stderr,
                    flush=True,
                )
            if now >= next_housekeeping:
                housekeeping()
                next_housekeeping = time.monotonic() + every_seconds
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(services)
        signal.signal(signal.SIGTERM, previous)
