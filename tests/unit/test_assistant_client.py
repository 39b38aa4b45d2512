"""A participant's message is never handled twice because the client retried it: after a
timeout, Rasa may already have answered it. Reading a stored conversation may be retried."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from aiohttp import web

from bot.assistant_client import CONVERSATIONS, WEBHOOK, AssistantClient, AssistantUnavailableError


async def _count_requests(slow: bool, status: int = 200) -> tuple[dict[str, int], AssistantClient, web.AppRunner]:
    seen = {"POST": 0, "GET": 0}

    async def handle(request: web.Request) -> web.Response:
        seen[request.method] += 1
        if slow:
            await asyncio.sleep(1.0)
        return web.json_response([] if request.method == "POST" else {"stored": 0}, status=status)

    app = web.Application()
    app.router.add_post(WEBHOOK, handle)
    app.router.add_get(CONVERSATIONS + "{sender}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    client = AssistantClient(f"http://127.0.0.1:{port}", token="t", timeout=httpx.Timeout(0.2, connect=1.0))
    return seen, client, runner


@pytest.mark.parametrize(("slow", "status"), [(True, 200), (False, 500), (False, 504)])
def test_a_message_is_sent_once_when_rasa_may_have_handled_it(slow: bool, status: int) -> None:
    async def scenario() -> dict[str, int]:
        seen, client, runner = await _count_requests(slow, status)
        try:
            with pytest.raises(AssistantUnavailableError):
                await client.ask("someone", "hej")
            with pytest.raises(AssistantUnavailableError):
                await client.stored("someone")
        finally:
            await client.close()
            await runner.cleanup()
        return seen

    seen = asyncio.run(scenario())
    assert seen["POST"] == 1
    assert seen["GET"] == 3  # reading is safe to repeat


def test_a_message_the_load_balancer_could_not_pass_on_is_sent_again() -> None:
    async def scenario() -> dict[str, int]:
        seen, client, runner = await _count_requests(False, 503)
        try:
            with pytest.raises(AssistantUnavailableError):
                await client.ask("someone", "hej")
        finally:
            await client.close()
            await runner.cleanup()
        return seen

    assert asyncio.run(scenario())["POST"] == 3


def test_half_an_emoji_reaches_rasa_as_a_replacement_character() -> None:
    """Browsers and bots can send a lone surrogate; it cannot be written as UTF-8 JSON."""
    received: list[str] = []

    async def scenario() -> None:
        async def handle(request: web.Request) -> web.Response:
            received.append((await request.json())["message"])
            return web.json_response([])

        app = web.Application()
        app.router.add_post(WEBHOOK, handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        client = AssistantClient(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}", token="t")
        try:
            await client.ask("someone", "\ud83d hej")
        finally:
            await client.close()
            await runner.cleanup()

    asyncio.run(scenario())
    assert received == ["\ufffd hej"]
