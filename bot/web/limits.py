"""Limits per client address on the public chat API: messages per minute, and new hand-off
requests per hour, so a script cannot flood Rasa or the coordinators' list.

The client is the address that connected, unless that is our own proxy (`TRUSTED_PROXIES`): then
it is the last address in X-Forwarded-For that is not one of our proxies (nginx appends the
address it saw, `$proxy_add_x_forwarded_for`). An X-Forwarded-For from anyone else is ignored:
it is whatever the sender wrote.

The buckets live in memory, like the Telegram front end's (bot/telegram/flood.py): nothing about
an address is stored, and each web server replica counts its own clients. A school's class behind
one address shares its limits, so they are set for a class, not for one person.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from aiohttp import web
from aiolimiter import AsyncLimiter
from cachetools import TTLCache

MAX_CLIENTS = 100_000
MINUTE, HOUR = 60, 3600
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(setting: str) -> tuple[Network, ...]:
    """`HALSOLOTSEN_TRUSTED_PROXIES`: addresses or networks, separated by commas."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _trusted(address: str, proxies: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: web.Request, proxies: tuple[Network, ...]) -> str:
    """The address the request came from, believing X-Forwarded-For only from our own proxies."""
    peer = request.remote or ""
    if not _trusted(peer, proxies):
        return peer
    forwarded = [hop.strip() for value in request.headers.getall("X-Forwarded-For", []) for hop in value.split(",")]
    return next((hop for hop in reversed(forwarded) if hop and not _trusted(hop, proxies)), peer)


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
