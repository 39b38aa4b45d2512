"""Limits per client address on the public chat API: messages per minute, and new hand-off
requests per hour, so a script cannot flood Rasa or the coordinators' list.

The client is `bot.web.http.client_address`: the address that connected, or behind our own proxy
(`TRUSTED_PROXIES`) the address that proxy saw; an X-Forwarded-For from anyone else is ignored.

The buckets live in memory, like the Telegram front end's (bot/telegram/flood.py): nothing about
an address is stored, and each web server replica counts its own clients. A school's class behind
one address shares its limits, so they are set for a class, not for one person.
"""

from __future__ import annotations

from aiolimiter import AsyncLimiter
from cachetools import TTLCache

MAX_CLIENTS = 100_000
MINUTE, HOUR = 60, 3600


class ClientLimits:
    """A leaky bucket per address for messages (per minute) and for new requests (per hour)."""

    def __init__(self, messages_per_minute: int, requests_per_hour: int) -> None:
        self._messages_per_minute, self._requests_per_hour = messages_per_minute, requests_per_hour
        self._messages: TTLCache[str, AsyncLimiter] = TTLCache(MAX_CLIENTS, ttl=2 * MINUTE)
        self._requests: TTLCache[str, AsyncLimiter] = TTLCache(MAX_CLIENTS, ttl=HOUR)

    async def message(self, address: str) -> bool:
        """Counts one message; False when this address is over its limit (the message is refused)."""
        bucket = self._messages.get(address)
        if bucket is None:
            bucket = self._messages[address] = AsyncLimiter(self._messages_per_minute, MINUTE)
        if not bucket.has_capacity():
            return False
        await bucket.acquire()  # at once: there is capacity
        return True

    def may_request(self, address: str) -> bool:
        """Whether this address may make another hand-off request now."""
        bucket = self._requests.get(address)
        return bucket is None or bucket.has_capacity()

    async def requested(self, address: str) -> None:
        """Counts a hand-off request made from this address."""
        bucket = self._requests.get(address)
        if bucket is None:
            bucket = self._requests[address] = AsyncLimiter(self._requests_per_hour, HOUR)
        if bucket.has_capacity():
            await bucket.acquire()
