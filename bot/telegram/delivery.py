"""Shows the assistant's messages in Telegram: text, then its voice message, then the choices.

Choices are inline buttons, one per row (big targets, long titles stay readable), except 👍 and 👎
under an answer, which share the last row; the callback
data is the Rasa payload itself: a tap works like typing, across restarts and replicas, with
nothing to remember. The buttons ride on the voice message when there is one, so they come last.
A voice file is uploaded once; after that Telegram's `file_id` is sent instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import InlineKeyboardButtonLimit
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.content.replies import Message, is_rating

logger = logging.getLogger(__name__)

SEND_ATTEMPTS = 3
T = TypeVar("T")


async def with_backoff(call: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """Retries a Bot API call after network errors, waiting 1, 2… s; a refused request is not retried.

    (429 Too Many Requests is retried by python-telegram-bot's AIORateLimiter, which waits as
    long as Telegram asks.)
    """
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call(*args, **kwargs)
        except (BadRequest, Forbidden):
            raise
        except NetworkError:
            if attempt == SEND_ATTEMPTS:
                raise
            await asyncio.sleep(2 ** (attempt - 1))
    raise AssertionError("unreachable")


def keyboard(message: Message) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    ratings: list[InlineKeyboardButton] = []
    for button in message.get("buttons") or []:
        if len(button["payload"].encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
            logger.warning("A button's payload is longer than Telegram allows; the button is left out.")
            continue
        shown = InlineKeyboardButton(button["title"], callback_data=button["payload"])
        if is_rating(button["payload"]):
            ratings.append(shown)
        else:
            rows.append([shown])
    if ratings:
        rows.append(ratings)
    return InlineKeyboardMarkup(rows) if rows else None


class Delivery:
    """Sends messages to one chat at a time; remembers uploaded voice files for everyone."""

    def __init__(self, bot: Bot, http: httpx.AsyncClient) -> None:
        self._bot = bot
        self._http = http
        self._voice_ids: dict[str, str] = {}

    async def send(self, chat_id: int, messages: list[Message]) -> None:
        for message in messages:
            markup = keyboard(message)
            voice_url = message.get("custom", {}).get("voice")
            shown = await with_backoff(
                self._bot.send_message, chat_id, message["text"], reply_markup=None if voice_url else markup
            )
            if voice_url and not await self._send_voice(chat_id, voice_url, markup) and markup:
                await with_backoff(shown.edit_reply_markup, reply_markup=markup)

    async def _send_voice(self, chat_id: int, url: str, markup: InlineKeyboardMarkup | None) -> bool:
        """Sends the voice message; False (and the text stands alone) if the audio can't be had."""
        known = self._voice_ids.get(url)
        if known is None:
            try:
                response = await self._http.get(url)
                response.raise_for_status()
            except httpx.HTTPError:
                logger.warning("An answer's audio could not be fetched from the web server; sent as text only.")
                return False
            voice: str | InputFile = InputFile(response.content, filename="hälsolotsen.ogg")
        else:
            voice = known
        sent = await with_backoff(self._bot.send_voice, chat_id, voice, reply_markup=markup)
        if sent.voice:
            self._voice_ids[url] = sent.voice.file_id
        return True

    async def plain(self, chat_id: int, text: str) -> int:
        """A text of our own without buttons or audio (e.g. to the coordinators' group); its message id."""
        return (await with_backoff(self._bot.send_message, chat_id, text)).message_id

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Deletes one of the bot's own messages (Telegram allows it for 48 hours)."""
        await with_backoff(self._bot.delete_message, chat_id, message_id)

    async def close(self) -> None:
        await self._http.aclose()
