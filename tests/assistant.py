"""A real assistant for end-to-end tests: trained model, Rasa server and action server over HTTP."""

from __future__ import annotations

import re
import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.assistant_client import WEBHOOK

LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def listening_addresses(port: int) -> set[str]:
    """The addresses some socket listens on at `port` (IPv4 and IPv6), as /proc/net writes them."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_endpoints(path: Path, actions_port: int, tracker_db: Path) -> Path:
    """The project's single-machine endpoints.yml, with this test's action port and tracker database;
    the action token stays for Rasa to fill in, as `bot run` leaves it (bot.rasa.server)."""
    from bot.keys import ACTION_TOKEN
    from bot.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8")
    filled = text.replace("${ACTIONS_PORT}", str(actions_port)).replace("${HALSOLOTSEN_TRACKER_DB}", str(tracker_db))
    left = set(re.findall(r"\$\{([A-Z_]+)\}", filled))
    assert left <= {ACTION_TOKEN}, f"endpoints.yml uses variables the tests do not fill in: {left}"
    path.write_text(filled, encoding="utf-8")
    return path


@dataclass
class Assistant:
    """Talks to the running Rasa server the way a channel does."""

    url: str
    content_dir: Path
    web_url: str
    var_dir: Path
    services: list[Any] = field(default_factory=list)  # bot.services.Service, to see they still run
    ops: dict[str, str] = field(default_factory=dict)  # "web", "actions": each one's operations port URL

    def say(self, text: str, sender: str | None = None) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.url}{WEBHOOK}", json={"sender": sender or new_sender(), "message": text}, timeout=60
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def running_assistant(model: Path, folder: Path) -> Iterator[Assistant]:
    """Web, Rasa and action servers on free ports, serving a copy of content/ in `folder` that the
    caller may edit, with its audio made by the offline engine; stopped when the block ends."""
    from bot import services
    from bot.audio import library
    from bot.audio.speech import EspeakSpeech
    from bot.content.store import load
    from bot.settings import CONTENT_DIR, MODELS_DIR

    content_copy, var = folder / "content", folder / "var"
    shutil.copytree(CONTENT_DIR, content_copy)
    # Built once per checkout and copied: the audio is cached by exact text, so a later session only
    # speaks what changed (a full build takes minutes on two cores).
    cache = MODELS_DIR / "test-audio"
    library.build(load(content_copy), [EspeakSpeech()], content_copy, cache)
    shutil.copytree(cache, var / "audio")
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(folder / "endpoints.yml", actions_port, folder / "tracker.db")
    running = services.assistant_services(model, rasa_port, actions_port, endpoints, web_port)
    web_url = f"http://localhost:{web_port}"
    env = {
        "HALSOLOTSEN_CONTENT": str(content_copy),
        "HALSOLOTSEN_VAR": str(var),
        "HALSOLOTSEN_PUBLIC_URL": web_url,
        "HALSOLOTSEN_RASA_URL": f"http://localhost:{rasa_port}",
        # Every test talks from 127.0.0.1, hostile-input batches fast and hand-off tests many times:
        # as one client they would meet the limits per address, which tests/test_web_guards.py checks.
        "HALSOLOTSEN_CHAT_MESSAGES_PER_MINUTE": "1000000",
        "HALSOLOTSEN_CHAT_REQUESTS_PER_HOUR": "1000000",
    }
    services.start(running, actions_port, env=env)
    try:
        web, actions = running[0], running[1]
        ops = {"web": web.health_url.removesuffix("/health"), "actions": actions.health_url.removesuffix("/health")}
        yield Assistant(f"http://localhost:{rasa_port}", content_copy, web_url, var, running, ops)
    finally:
        services.stop(running)


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def answered_item(messages: list[dict[str, Any]]) -> str | None:
    """The content id of the first answer, from its machine-readable payload."""
    return next((m["custom"]["item"] for m in messages if "item" in m.get("custom", {})), None)


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages if "text" in m)


def button_titles(messages: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for m in messages for b in m.get("buttons", [])]
