"""Carries what coordinators write (and the times they propose) to participants' chats, tells
the coordinators' group about new requests, and deletes those notices again (bot/handoff/notices.py).

Coordinators work in the browser, on the web server; only this process holds the bot. Messages
wait in the hand-off database until delivered (at least once, in order), so a restart of any
process loses none. Polling the database every few seconds is cheap and needs no extra broker.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.audio.library import AudioIndex
from bot.content.store import ContentStore
from bot.handoff import coordination, notices, outgoing, participants
from bot.settings import DATABASE_URL
from bot.storage.database import run
from bot.telegram.delivery import Delivery

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
CHANNEL = "telegram"


class Relay:
    def __init__(
        self,
        content: ContentStore,
        audio: AudioIndex,
        delivery: Delivery,
        group_chat: int | None,
        public_url: str,
        database_url: str = DATABASE_URL,
    ) -> None:
        self.content, self.audio, self.delivery = content, audio, delivery
        self.group_chat, self.public_url, self.database_url = group_chat, public_url, database_url

    async def forever(self) -> None:
        while True:
            try:
                await self.once()
            except Exception as error:  # the relay must outlive a database or network hiccup
                # The type only: a database error's text can quote the message being stored.
                logger.error("Relaying hand-off messages failed (%s); trying again.", type(error).__name__)
            await asyncio.sleep(POLL_SECONDS)

    async def once(self) -> None:
        url = self.database_url
        for waiting in await run(participants.undelivered, CHANNEL, None, url):
            if waiting.reply_address is None:
                continue  # the front end records the chat when the participant's request is sent
            message = outgoing.render(self.content.get(), self.audio, waiting)
            try:
                await self.delivery.send(int(waiting.reply_address), [message])
            except TelegramError as error:
                logger.warning("A coordinator's message could not be delivered yet: %s", type(error).__name__)
                return
            await run(participants.mark_delivered, [waiting.id], url)
        if self.group_chat is not None:
            await self._notify(self.group_chat)
        await self._delete_notices()

    async def _notify(self, group_chat: int) -> None:
        for request in await run(coordination.unnotified, self.database_url):
            try:
                message_id = await self.delivery.plain(group_chat, notices.text(request, self.public_url))
            except (BadRequest, Forbidden) as error:  # refused: not tried again, the next request goes on
                logger.warning("Telegram refused a group notice: %s", type(error).__name__)
                await run(notices.sent, request["id"], None, None, self.database_url)
                continue
            await run(notices.sent, request["id"], group_chat, message_id, self.database_url)

    async def _delete_notices(self) -> None:
        """Deletes the notices whose request is gone or whose time is up. One Telegram no longer
        lets us delete (already deleted by hand, or too old) is forgotten; a network error waits."""
        for notice in await run(notices.due, notices.GROUP_NOTICE_HOURS, self.database_url):
            try:
                await self.delivery.delete(notice.chat_id, notice.message_id)
            except (BadRequest, Forbidden) as error:
                logger.warning("A group notice could not be deleted: %s", type(error).__name__)
            await run(notices.forget, [notice.id], self.database_url)
