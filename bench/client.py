"""Simulated participants on the REST channel: a small asyncio client on aiohttp.

Why not a load tool such as Locust: each participant here is a whole conversation (the next
message depends on having the answer to the last, under one sender id), the same client must
drive two assistants with different conversations, and on a 2-core machine the client shares the
CPU with the servers, so it has to be light. One asyncio loop with aiohttp (already installed
with Rasa) does that in a few dozen lines with exact per-message latencies; Locust would add
gevent, Flask and a web UI, and it rounds response times before computing percentiles.

Closed loop: each participant sends a message, waits for the answer, and sends the next at once
(no think time), so N participants keep at most N messages in flight and the figures show what
the assistant sustains at that concurrency. An error is a failed request, a non-200 status, a
timeout, or an answer that is not a non-empty JSON list.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.stats import summary
from bot.assistant_client import WEBHOOK

TIMEOUT_SECONDS = 30
START_SPREAD_SECONDS = 1.0  # participants arrive over one second, not in one burst


@dataclass
class Run:
    """What one level measured: every answered message's latency, and the errors by kind."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> dict:
        return {**summary(self.latencies, sum(self.errors.values()), self.seconds), "error_kinds": dict(self.errors)}


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str, run: Run) -> None:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            if response.status != 200:
                run.errors[f"HTTP {response.status}"] += 1
            elif not isinstance(body, list) or not body:
                run.errors["empty answer"] += 1
            else:
                run.latencies.append(time.perf_counter() - started)
    except asyncio.TimeoutError:
        run.errors["timeout"] += 1
    except aiohttp.ClientError as error:
        run.errors[type(error).__name__] += 1


async def _participant(
    session: aiohttp.ClientSession,
    url: str,
    conversations: Callable[[], list[str]],
    until: float,
    run: Run,
    delay: float,
) -> None:
    await asyncio.sleep(delay)
    while time.perf_counter() < until:
        sender = f"bench-{uuid.uuid4().hex[:16]}"  # a new conversation, as a new participant would start
        for text in conversations():
            if time.perf_counter() >= until:
                return
            await _send(session, url, sender, text, run)


async def _run(base_url: str, conversations: Callable[[], list[str]], participants: int, seconds: float) -> Run:
    run = Run()
    connector = aiohttp.TCPConnector(limit=participants, force_close=False)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        until = started + seconds
        spread = START_SPREAD_SECONDS if participants > 1 else 0.0
        await asyncio.gather(
            *(
                _participant(session, base_url + WEBHOOK, conversations, until, run, spread * i / participants)
                for i in range(participants)
            )
        )
        run.seconds = time.perf_counter() - started
    return run


def load(base_url: str, conversations: Callable[[], list[str]], participants: int, seconds: float) -> Run:
    """`participants` simulated participants in conversation for `seconds`; the last answers are awaited."""
    return asyncio.run(_run(base_url, conversations, participants, seconds))
