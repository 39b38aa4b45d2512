"""The web server as `bot run` starts it (its own Python, `.venv-web`), against requests an attacker
sends first: compressed bodies that inflate far past every limit; and Rasa, reachable only by
our own channels on this machine."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import services
from tests.assistant import LOOPBACK, Assistant, free_port, listening_addresses

# What a gzip bomb may cost the server at most: a refused body must not be inflated at all.
MAX_MEMORY_GROWTH_BYTES = 32 * 1024 * 1024
INFLATED_BYTES = 200 * 1024 * 1024  # a 200 KB body on the wire
# Every route that reads a body (bot/web/app.py); the refusal comes before any login check.
BODY_ROUTES = [
    ("POST", "/api/chat"),
    ("POST", "/koordinator/api/login"),
    ("POST", "/koordinator/api/requests/1/messages"),
    ("PUT", "/koordinator/api/recordings/sv/akut_112"),
]


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The web server alone (no Rasa: nothing here reaches it), on a free loopback port."""
    port = free_port()
    var = tmp_path_factory.mktemp("web-var")
    server = services.web_server(port)
    services.start([server], env={"HALSOLOTSEN_VAR": str(var)}, timeout_seconds=60)
    try:
        yield f"http://localhost:{port}", server.process.pid
    finally:
        services.stop([server])


def _peak_memory(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) * 1024


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_a_compressed_body_is_refused_before_it_is_inflated(
    web_server: tuple[str, int], encoding: str, compress
) -> None:
    url, pid = web_server
    bomb = compress(b"\0" * INFLATED_BYTES, 9)
    before = _peak_memory(pid)
    for method, path in BODY_ROUTES:
        headers = {"Content-Encoding": encoding, "Content-Type": "application/json"}
        answer = httpx.request(method, url + path, content=bomb, headers=headers, timeout=30)
        assert answer.status_code == 415, (path, answer.status_code, answer.text[:200])
        assert answer.json()["error"] == "compressed_body"
    assert _peak_memory(pid) - before < MAX_MEMORY_GROWTH_BYTES


def test_an_uncompressed_body_still_works(web_server: tuple[str, int]) -> None:
    """`Content-Encoding: identity` is no compression: the route answers as usual (here its 400)."""
    url, _ = web_server
    answer = httpx.post(f"{url}/api/chat", content=b"{}", headers={"Content-Encoding": "identity"}, timeout=30)
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


def test_rasa_listens_on_loopback_only_and_allows_no_other_origin(assistant: Assistant) -> None:
    """The widget talks to our web server, never to Rasa: no browser on another site may call it."""
    assert listening_addresses(int(assistant.url.rsplit(":", 1)[1])) == {LOOPBACK}
    asked = httpx.options(
        f"{assistant.url}/webhooks/rest/webhook",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in asked.headers
