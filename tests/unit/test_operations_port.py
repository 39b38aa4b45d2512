"""The operations port (bot/ops.py) over real HTTP: loopback only unless told otherwise, readiness
503 naming what failed, and a check that raises something unexpected still answered."""

from __future__ import annotations

import socket
import struct
import time

import httpx

from bot import ops, services
from bot.settings import OPS_HOST


def _broken() -> None:
    raise ops.NotReadyError("unreachable (ConnectError)")


def _crashing() -> None:
    raise KeyError("a value that must not be shown")


def test_ready_is_503_and_names_each_failing_check_on_a_loopback_port() -> None:
    port = services.free_port()
    server = ops.serve("test process", OPS_HOST, port, {"database": lambda: None, "rasa": _broken, "odd": _crashing})
    try:
        assert server.server_address[0] == "127.0.0.1"  # the default: only this machine asks
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
        assert ready.status_code == 503
        assert ready.json() == {
            "status": "unready",
            "checks": {"database": "ok", "rasa": "unreachable (ConnectError)", "odd": "failed (KeyError)"},
        }
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).json()
        assert (health["status"], health["process"]) == ("ok", "test process")
        assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text.startswith("# HELP")
    finally:
        server.shutdown()


def test_ready_is_200_when_every_check_passes() -> None:
    port = services.free_port()
    server = ops.serve("test process", OPS_HOST, port, {"database": lambda: None})
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5).json() == {
            "status": "ready",
            "checks": {"database": "ok"},
        }
    finally:
        server.shutdown()


def test_a_prober_that_hangs_up_before_the_answer_leaves_no_traceback(capfd) -> None:
    """`bot run` polls readiness with a short timeout while a slow check still runs; the answer
    then meets a closed socket. That printed a BrokenPipeError traceback on a newcomer's console."""
    port = services.free_port()
    server = ops.serve("test process", OPS_HOST, port, {"slow": lambda: time.sleep(0.5)})
    try:
        for _ in range(3):
            prober = socket.create_connection(("127.0.0.1", port))
            prober.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
            prober.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not FIN
            prober.close()
        time.sleep(1.5)
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    finally:
        server.shutdown()
    assert "Traceback" not in capfd.readouterr().err
