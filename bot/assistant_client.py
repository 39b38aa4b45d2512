"""How a channel front end (Telegram now) talks to the assistant: Rasa's REST channel over HTTP.

The front end is its own process, so it can run on another machine and in as many copies as
needed, in front of any number of Rasa replicas behind a load balancer. Connection failures are
retried by httpx's transport; a slow or failing assistant is retried a few times with growing
pauses, then reported as `AssistantUnavailableError` so the channel can tell the participant.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from bot import keys
from bot.content.replies import Message

WEBHOOK = "/webhooks/rest/webhook"
CONVERSATIONS = "/webhooks/rest/conversations/"
ATTEMPTS = 3
FIRST_PAUSE_SECONDS = 0.5


class AssistantUnavailableError(Exception):
    """Rasa did not answer in time or answered with an error, after retries."""


class AssistantClient:
    def __init__(self, base_url: str, timeout_seconds: float = 20.0, token: str | None = None) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_seconds, connect=3.0),
            transport=httpx.AsyncHTTPTransport(retries=2),
        )
        self._auth = {"Authorization": f"Bearer {token or keys.shared_secret(keys.CHANNEL_TOKEN)}"}

    async def ask(self, sender: str, text: str) -> list[Message]:
        """The assistant's answer to one message: one message per answer, with buttons and custom."""
        return await self._request("POST", WEBHOOK, json={"sender": sender, "message": text})

    async def stored(self, sender: str) -> dict[str, Any]:
        """What Rasa keeps about this conversation: {"stored", "messages", "language", …}."""
        return await self._request("GET", CONVERSATIONS + sender, headers=self._auth)

    async def forget(self, sender: str) -> int:
        """Deletes the whole conversation; returns how many events went."""
        return (await self._request("DELETE", CONVERSATIONS + sender, headers=self._auth))["deleted"]

    async def close(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        pause = FIRST_PAUSE_SECONDS
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = await self._http.request(method, path, **kwargs)
                if response.status_code < 500:
                    response.raise_for_status()
                    return response.json()
            except httpx.TransportError:
                pass
            except httpx.HTTPStatusError as error:
                status = error.response.status_code
                raise AssistantUnavailableError(f"The assistant refused a request ({status}).") from None
            if attempt < ATTEMPTS:
                await asyncio.sleep(pause)
                pause *= 2
        raise AssistantUnavailableError(f"No answer from the assistant after {ATTEMPTS} attempts.")
