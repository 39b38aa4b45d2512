"""The one client for Rasa's REST channel, used by every front end: the Telegram bot and the web
server's chat proxy (`bot/web/chat.py`).

A front end is its own process, so it can run on another machine and in as many copies as needed,
in front of any number of Rasa replicas behind a load balancer. One policy for all of them:
connection failures are retried by httpx's transport; then a few more times with growing pauses.
A participant's message is sent again only when it surely never reached Rasa (no connection, or a
503 from the load balancer): after a timeout or a broken answer Rasa may have handled it, and
handling it twice would answer twice or fill a form field twice. Reading or deleting a stored
conversation is safe to repeat, so those are also retried after a timeout or any 5xx. What still
fails is raised as `AssistantUnreachableError` (no answer) or `AssistantFailedError` (an error or a
broken answer), both `AssistantUnavailableError`, so the front end can tell the participant.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import httpx

from bot import keys, metrics
from bot.web.well_formed import repaired

if TYPE_CHECKING:  # for the type only: a client (or a benchmark) needs no content code to talk to Rasa
    from bot.content.replies import Message

WEBHOOK = "/webhooks/rest/webhook"
CONVERSATIONS = "/webhooks/rest/conversations/"
ATTEMPTS = 3
FIRST_PAUSE_SECONDS = 0.5
# Rasa's first answer after start-up can take a while (the model and action server warm up).
TIMEOUT = httpx.Timeout(20.0, connect=3.0)
CONNECT_RETRIES = 2
# Failures after which the request surely did not reach Rasa, so a message may be sent again.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
NOT_SENT_STATUS = 503  # the load balancer has no Rasa to pass it to


class AssistantUnavailableError(Exception):
    """Rasa gave no usable answer, after retries."""


class AssistantUnreachableError(AssistantUnavailableError):
    """Rasa could not be reached or did not answer in time."""


class AssistantFailedError(AssistantUnavailableError):
    """Rasa answered with an error status, or with something that is not JSON."""


class AssistantClient:
    """`channel` names the front end in the metrics (bot/metrics.py): each answered message is counted."""

    def __init__(
        self, base_url: str, token: str | None = None, timeout: httpx.Timeout = TIMEOUT, channel: str = "rest"
    ) -> None:
        self._channel = channel
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=httpx.AsyncHTTPTransport(retries=CONNECT_RETRIES),
        )
        self._token = token

    async def ask(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[Message]:
        """The assistant's answer to one message: one message per answer, with buttons and custom.
        A lone surrogate (half an emoji, from a broken client) becomes U+FFFD: JSON cannot carry it."""
        body = {"sender": sender, "message": repaired(text), **({"metadata": metadata} if metadata else {})}
        started = time.perf_counter()
        messages = await self._request("POST", WEBHOOK, repeatable=False, json=body)
        metrics.answered(self._channel, messages, time.perf_counter() - started)
        return messages

    async def stored(self, sender: str) -> dict[str, Any]:
        """What Rasa keeps about this conversation: {"stored", "messages", "language", …}."""
        return await self._request("GET", CONVERSATIONS + sender, headers=self._auth())

    async def forget(self, sender: str) -> int:
        """Deletes the whole conversation; returns how many events went."""
        return (await self._request("DELETE", CONVERSATIONS + sender, headers=self._auth()))["deleted"]

    async def close(self) -> None:
        await self._http.aclose()

    def _auth(self) -> dict[str, str]:
        """Only reading and deleting a stored conversation need the channel token, so a front end
        that only chats (the web server) never reads or makes it."""
        return {"Authorization": f"Bearer {self._token or keys.shared_secret(keys.CHANNEL_TOKEN)}"}

    async def _request(self, method: str, path: str, repeatable: bool = True, **kwargs: Any) -> Any:
        pause = FIRST_PAUSE_SECONDS
        failure: AssistantUnavailableError = AssistantUnreachableError("No answer from the assistant.")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as error:
                failure = AssistantUnreachableError(f"No answer from the assistant ({type(error).__name__}).")
                if not repeatable and not isinstance(error, NEVER_SENT):
                    raise failure from None
            else:
                if response.is_success:
                    try:
                        return response.json()
                    except ValueError:
                        raise AssistantFailedError("The assistant's answer was not JSON.") from None
                failure = AssistantFailedError(f"The assistant answered with HTTP {response.status_code}.")
                if response.status_code < 500 or not (repeatable or response.status_code == NOT_SENT_STATUS):
                    raise failure
            if attempt < ATTEMPTS:
                await asyncio.sleep(pause)
                pause *= 2
        raise failure
