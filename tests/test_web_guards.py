"""The web server as `bot run` starts it (its own Python, `.venv-web`), against requests an attacker
sends first: compressed bodies that inflate far past every limit, a flood of chat messages or
hand-off requests from one address, a made-up X-Forwarded-For; and Rasa, reachable only by our
own channels on this machine."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import services
from bot.assistant_client import WEBHOOK
from bot.handoff.participants import NO_NEW_REQUEST
from bot.settings import CONTENT_DIR, PROJECT_ROOT
from bot.web import chat, limits
from bot.web.app import create_app
from tests.assistant import LOOPBACK, Assistant, free_port, listening_addresses

DEPLOY = PROJECT_ROOT / "deploy"
# What a gzip bomb may cost the server at most: a refused body must not be inflated at all.
MAX_MEMORY_GROWTH_BYTES = 32 * 1024 * 1024
INFLATED_BYTES = 200 * 1024 * 1024  # a 200 KB body on the wire
MESSAGES_PER_MINUTE = 5
PROXY = "127.0.0.2"  # the test's stand-in for our nginx: loopback, another address
CHAT = {"sender": "0123456789abcdef", "message": "hej"}
# Every route that reads a body (bot/web/app.py); the refusal comes before any login check.
BODY_ROUTES = [
    ("POST", "/api/chat"),
    ("POST", "/koordinator/api/login"),
    ("POST", "/koordinator/api/requests/1/messages"),
    ("PUT", "/koordinator/api/recordings/sv/akut_112"),
    ("POST", "/koordinator/api/studio/ar/varden/approve"),
]


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The web server alone (no Rasa: nothing here reaches it), on a free loopback port."""
    port = free_port()
    var = tmp_path_factory.mktemp("web-var")
    server = services.web_server(port)
    server.ready_url = server.health_url  # no Rasa here, so never "ready": alive is enough
    env = {
        "HALSOLOTSEN_VAR": str(var),
        "HALSOLOTSEN_CHAT_MESSAGES_PER_MINUTE": str(MESSAGES_PER_MINUTE),
        "HALSOLOTSEN_TRUSTED_PROXIES": PROXY,
        # Itself, where Rasa's address is a 404: a message passed on is a 502, at once.
        "HALSOLOTSEN_RASA_URL": f"http://127.0.0.1:{port}",
    }
    services.start([server], env=env, timeout_seconds=60)
    try:
        yield f"http://127.0.0.1:{port}", server.process.pid
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


def _chat(url: str, source: str = "127.0.0.1", forwarded: str | None = None) -> httpx.Response:
    """One chat message, sent from the loopback address `source`, maybe with an X-Forwarded-For."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30) as client:
        return client.post(f"{url}/api/chat", json=CHAT, headers=headers)


def test_chat_messages_are_limited_per_client_address(web_server: tuple[str, int]) -> None:
    """Over the limit a client gets a 429 before Rasa is asked (a message passed on is a 502 here:
    no Rasa runs). A made-up X-Forwarded-For changes nothing; our proxy's is believed."""
    url, _ = web_server
    assert [_chat(url).status_code for _ in range(MESSAGES_PER_MINUTE)] == [502] * MESSAGES_PER_MINUTE
    refused = _chat(url)
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    assert _chat(url, forwarded="198.51.100.7").status_code == 429  # not our proxy: its header is its own words
    behind_proxy = [_chat(url, PROXY, "192.0.2.1, 198.51.100.8").status_code for _ in range(MESSAGES_PER_MINUTE + 1)]
    assert behind_proxy == [502] * MESSAGES_PER_MINUTE + [429]
    assert _chat(url, PROXY, "198.51.100.9").status_code == 502  # another client behind the proxy


def test_an_address_over_its_hand_off_requests_makes_no_new_one(tmp_path: Path) -> None:
    """The web server counts the requests each address made (an answer with `custom.handoff`);
    over the limit its messages tell Rasa so, and the form's end saves nothing
    (tests/test_action_server.py shows that part)."""
    received: list[dict[str, Any]] = []

    async def rasa(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response([{"text": "Skickat.", "custom": {"handoff": f"H-{len(received)}"}}])

    async def main() -> None:
        stand_in = web.Application()
        stand_in.router.add_post(WEBHOOK, rasa)
        async with TestServer(stand_in) as rasa_server:
            app = create_app(tmp_path / "audio", CONTENT_DIR, str(rasa_server.make_url("")), "http://widget.test")
            app[chat.LIMITS] = limits.ClientLimits(messages_per_minute=100, requests_per_hour=2)
            async with TestClient(TestServer(app)) as client:
                for _ in range(3):
                    assert (await client.post("/api/chat", json=CHAT)).status == 200

    asyncio.run(main())
    assert [body.get("metadata") for body in received] == [None, None, {NO_NEW_REQUEST: True}]


@pytest.mark.parametrize(
    ("public_url", "starts"),
    [
        ("http://halsolotsen.malmo.se", False),
        ("http://192.0.2.10:8080", False),
        ("https://halsolotsen.malmo.se", True),
        ("http://localhost:{port}", True),
    ],
)
def test_production_refuses_a_public_url_without_https(tmp_path: Path, public_url: str, starts: bool) -> None:
    port = free_port()
    env = {"HALSOLOTSEN_PRODUCTION": "true", "HALSOLOTSEN_PUBLIC_URL": public_url.format(port=port)}
    server = services.web_server(port)
    server.ready_url = server.health_url  # no Rasa here: alive is enough
    server.log = tmp_path / "web.log"
    try:
        services.start([server], env={"HALSOLOTSEN_VAR": str(tmp_path), **env}, timeout_seconds=60)
    except RuntimeError as failed:
        assert not starts, failed
        said = server.log.read_text(encoding="utf-8")
        assert "must be an https:// address" in said and "Traceback" not in said, said
    else:
        services.stop([server])
        assert starts, f"the web server started with {public_url}"


def _nginx_from_deploy(folder: Path, web_port: int) -> tuple[Path, int, int]:
    """deploy/nginx/halsolotsen.conf as it is, on loopback ports, with a certificate made here and
    the web server of this module behind it; fails if the file no longer has what is replaced."""
    http_port, https_port = free_port(), free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    text = (DEPLOY / "nginx" / "halsolotsen.conf").read_text(encoding="utf-8")
    for old, new in {
        "server rasa:5005;": f"server 127.0.0.1:{free_port()};",
        "server actions:5055;": f"server 127.0.0.1:{free_port()};",
        "server web:8080;": f"server 127.0.0.1:{web_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen 5005;": f"listen 127.0.0.1:{free_port()};",
        "listen 5055;": f"listen 127.0.0.1:{free_port()};",
        "/etc/nginx/certs/": f"{folder}/",
        "/var/www/acme": str(folder),
        "/etc/nginx/halsolotsen/proxy.conf": str(DEPLOY / "nginx" / "proxy.conf"),
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    temp = " ".join(
        f'{kind}_temp_path "{folder}/{kind}";' for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f'daemon off; worker_processes 1; pid "{folder}/nginx.pid"; error_log "{folder}/error.log" warn;\n'
        f"events {{ worker_connections 64; }}\nhttp {{ access_log off; {temp}\n{text}\n}}\n",
        encoding="utf-8",
    )
    return conf, http_port, https_port


def test_the_production_proxy_serves_https_with_hsts_and_redirects_http(
    web_server: tuple[str, int], tmp_path: Path
) -> None:
    web_port = int(web_server[0].rsplit(":", 1)[1])
    conf, http_port, https_port = _nginx_from_deploy(tmp_path, web_port)
    nginx = services.Service("nginx", ["nginx", "-p", str(tmp_path), "-c", str(conf)], None)
    services.start([nginx], timeout_seconds=30)
    try:
        secure = _eventually(lambda: httpx.get(f"https://localhost:{https_port}/health", verify=False, timeout=10))
        assert secure.status_code == 200
        assert secure.json()["status"] == "ok"  # the web server answered, through TLS
        assert secure.headers["strict-transport-security"] == "max-age=31536000"
        plain = httpx.get(f"http://localhost:{http_port}/koordinator/?x=1", timeout=10)
        assert plain.status_code == 301
        assert plain.headers["location"] == "https://localhost/koordinator/?x=1"
    finally:
        services.stop([nginx])


def _eventually(call: Callable[[], httpx.Response], seconds: float = 20) -> httpx.Response:
    """nginx has no health address of its own: its first answer, once it listens."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
