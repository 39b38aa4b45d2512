"""Slows down password guessing without ever locking the real person out.

A hard lock per account (the earlier design) was a weapon: user names are first names, and five
wrong passwords every 15 minutes kept a coordinator out for good. Instead, in front of the
password check:

- each client address has a bucket of ADDRESS_BURST password checks, one back every
  ADDRESS_REFILL_SECONDS, and a right password gives its check back: one address cannot try many
  names, nor queue up many Argon2 checks;
- each (account name, address) pair may fail FREE_FAILURES times; after that it waits 1, 2, 4 …
  seconds (at most MAX_DELAY_SECONDS) between tries. The delay holds only for that address, so
  the coordinator, from their own address, still logs in at once.

The counts live in this process's memory, bounded in size and time: several web server replicas
each count on their own, which multiplies the rates but keeps the bounds. User names are kept
only as a hash (people type passwords into the name field).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from cachetools import TTLCache

ADDRESS_BURST = 10
ADDRESS_REFILL_SECONDS = 6.0
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 300.0
FORGET_FAILURES_SECONDS = 3600  # a pair with no failure for an hour starts afresh
MAX_TRACKED = 100_000  # addresses, and pairs: the memory an attacker can make us use


class LoginThrottle:
    """The login route's guard: `admit` before the password check, then `succeeded` or `failed`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        full_after = ADDRESS_BURST * ADDRESS_REFILL_SECONDS  # a bucket left alone this long is full again
        self._buckets: TTLCache[str, tuple[float, float]] = TTLCache(MAX_TRACKED, full_after, timer=clock)
        self._failures: TTLCache[tuple[str, str], tuple[int, float]] = TTLCache(
            MAX_TRACKED, FORGET_FAILURES_SECONDS, timer=clock
        )

    def admit(self, address: str, username: str) -> float:
        """0 if the password may be checked now (one check taken from the address's bucket), else
        the seconds to wait first."""
        now = self._clock()
        count, last = self._failures.get((address, _key(username)), (0, now))
        wait = last + _delay(count) - now
        if wait > 0:
            return wait
        tokens = self._tokens(address, now)
        if tokens < 1:
            return (1 - tokens) * ADDRESS_REFILL_SECONDS
        self._buckets[address] = (tokens - 1, now)
        return 0.0

    def succeeded(self, address: str, username: str) -> None:
        """A right password: its check goes back to the bucket and the pair's failures are forgotten."""
        now = self._clock()
        self._buckets[address] = (min(ADDRESS_BURST, self._tokens(address, now) + 1), now)
        self._failures.pop((address, _key(username)), None)

    def failed(self, address: str, username: str) -> None:
        pair = (address, _key(username))
        count, _ = self._failures.get(pair, (0, 0.0))
        self._failures[pair] = (count + 1, self._clock())

    def _tokens(self, address: str, now: float) -> float:
        tokens, at = self._buckets.get(address, (ADDRESS_BURST, now))
        return min(ADDRESS_BURST, tokens + (now - at) / ADDRESS_REFILL_SECONDS)


def _delay(failures: int) -> float:
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_FAILURES))


def _key(username: str) -> str:
    return hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()
