"""Sends many raw HTTP requests at once and says which answers a client could not use.

aiohttp's client sends a request as it is given: an encoded URL is not normalised (`../` and
`%2e%2e` reach the server as typed, where httpx would resolve them first), and the body and the
Content-Type header are exactly the bytes and value given. The hostile-input tests and
`bench/robustness.py` share it, so both judge answers by the same rules.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

TIMEOUT = aiohttp.ClientTimeout(total=120)
# Every answer so far, by request path (no query) and status, and how many batches, for bench/robustness.py.
TALLY: Counter[tuple[str, int]] = Counter()
BATCHES: Counter[str] = Counter()


@dataclass(frozen=True)
class RawRequest:
    """One HTTP request as a client may send it, before any library tidies it up."""

    method: str
    path: str  # percent-encoded already; sent as it is, query included
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self, limit: int = 160) -> str:
        """Enough of the request to reproduce it by hand, without printing 100 kB."""
        body = self.body if len(self.body) <= limit else self.body[:limit] + b"..."
        return f"{self.method} {self.path[:limit]} ({self.content_type}, {len(self.body)} bytes: {body!r})"


@dataclass(frozen=True)
class Answer:
    request: RawRequest
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        """The body as strict JSON: NaN and Infinity are not JSON, so a browser could not read them."""
        return json.loads(self.body, parse_constant=_refuse)


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


async def _send(session: aiohttp.ClientSession, base_url: str, request: RawRequest) -> Answer:
    headers = dict(request.headers)
    if request.content_type is not None:
        headers["Content-Type"] = request.content_type
    url = URL(base_url.rstrip("/") + request.path, encoded=True)
    async with session.request(request.method, url, data=request.body or None, headers=headers) as response:
        TALLY[request.path.split("?")[0], response.status] += 1
        return Answer(request, response.status, response.content_type, await response.read())


async def send_all(base_url: str, requests: Sequence[RawRequest], concurrency: int = 8) -> list[Answer]:
    """Every request, `concurrency` at a time, each answer in the order of the requests."""
    BATCHES[base_url] += 1
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(
        connector=connector, timeout=TIMEOUT, skip_auto_headers=("Content-Type", "User-Agent")
    ) as session:
        return await asyncio.gather(*(_send(session, base_url, request) for request in requests))


def send(base_url: str, requests: Sequence[RawRequest], concurrency: int = 8) -> list[Answer]:
    return asyncio.run(send_all(base_url, requests, concurrency))


def problems(answers: Sequence[Answer]) -> list[str]:
    """What no client can use: a server error, or a JSON answer that is not JSON."""
    found = []
    for answer in answers:
        if answer.status >= 500:
            found.append(f"HTTP {answer.status} for {answer.request.describe()}: {answer.body[:300]!r}")
        elif answer.content_type == "application/json" and answer.request.method != "HEAD":
            try:
                answer.json()
            except ValueError as error:
                found.append(f"Broken JSON ({error}) for {answer.request.describe()}")
    return found
