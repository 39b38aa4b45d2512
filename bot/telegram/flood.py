"""A per-participant limit on messages: one person flooding the bot cannot slow it for everyone.

aiolimiter's leaky bucket (already used by python-telegram-bot's rate limiter) counts each
participant's messages; buckets of people who stopped writing expire from a TTL cache.
"""

from __future__ import annotations

import enum

from aiolimiter import AsyncLimiter
from cachetools import TTLCache

BUCKET_SECONDS = 60
MAX_PARTICIPANTS = 100_000


class Verdict(enum.Enum):
    ANSWER = "answer"
    SLOW_DOWN = "slow down"  # the first message over the limit: tell them, kindly
    IGNORE = "ignore"  # later ones in the same minute: they have been told


class FloodGuard:
    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._buckets: TTLCache[int, AsyncLimiter] = TTLCache(MAX_PARTICIPANTS, ttl=2 * BUCKET_SECONDS)
        self._told: TTLCache[int, bool] = TTLCache(MAX_PARTICIPANTS, ttl=BUCKET_SECONDS)

    async def admit(self, user_id: int) -> Verdict:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = AsyncLimiter(self._per_minute, BUCKET_SECONDS)
        if bucket.has_capacity():
            await bucket.acquire()
            return Verdict.ANSWER
        if self._told.get(user_id):
            return Verdict.IGNORE
        self._told[user_id] = True
        return Verdict.SLOW_DOWN

    def forget(self, user_id: int) -> None:
        self._buckets.pop(user_id, None)
        self._told.pop(user_id, None)
