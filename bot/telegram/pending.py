"""Messages the assistant could not answer yet: kept in order and answered when it is back.

When Rasa is down or too slow, the participant is told so at once, and nothing they wrote is
dropped: their messages wait here, in memory, and are retried every few seconds for a while.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from bot.assistant_client import AssistantUnavailableError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
GIVE_UP_SECONDS = 15 * 60

# Answers one message in a chat; raises AssistantUnavailableError when the assistant still is.
Answer = Callable[[int, str], Awaitable[None]]


class Pending:
    def __init__(self, answer: Answer, retry_seconds: float = RETRY_SECONDS) -> None:
        self._answer = answer
        self._retry_seconds = retry_seconds
        self._waiting: dict[int, deque[tuple[float, str]]] = {}
        self._tasks: set[asyncio.Task] = set()

    def has(self, chat_id: int) -> bool:
        return chat_id in self._waiting

    def add(self, chat_id: int, text: str) -> None:
        """Queues the message; the first one of a chat starts that chat's retries."""
        if chat_id not in self._waiting:
            self._waiting[chat_id] = deque()
            task = asyncio.get_running_loop().create_task(self._retry(chat_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._waiting[chat_id].append((time.monotonic(), text))

    def forget(self, chat_id: int) -> None:
        self._waiting.pop(chat_id, None)

    async def _retry(self, chat_id: int) -> None:
        while (queue := self._waiting.get(chat_id)) is not None:
            if not queue:
                del self._waiting[chat_id]
                return
            queued_at, text = queue[0]
            if time.monotonic() - queued_at > GIVE_UP_SECONDS:
                queue.popleft()
                logger.warning("A message waited %d minutes for the assistant and was given up.", GIVE_UP_SECONDS // 60)
                continue
            await asyncio.sleep(self._retry_seconds)
            try:
                await self._answer(chat_id, text)
            except AssistantUnavailableError:
                logger.info("The assistant is still unavailable; a waiting message will be retried.")
                continue
            except TelegramError as error:
                logger.warning("A waiting message was answered but could not be sent (%s).", type(error).__name__)
            if self._waiting.get(chat_id) is queue and queue:
                queue.popleft()
