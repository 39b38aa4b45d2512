"""Carries what coordinators write (and the times they propose) to participants' chats, and tells
the coordinators' group about new requests.

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
from bot.handoff import coordination, outgoing, participants
from bot.storage.database import run
from bot.telegram.delivery import Delivery

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
CHANNEL = "telegram"


def group_notice(request: dict, public_url: str) -> str:
    """What the coordinators' group reads: enough to act on, no name, phone or message."""
    interpreter = f", tolk ({request['language']})" if request["interpreter"] else ""
    return (
        f"Ny förfrågan {request['reference']}: {request['municipality']}, språk {request['language']}{interpreter}.\n"
        f"Öppna: {public_url.rstrip('/')}/koordinator/"
    )


class Relay:
    def __init__(
        self, content: ContentStore, audio: AudioIndex, delivery: Delivery, group_chat: int | None, public_url: str
    ) -> None:
        self.content, self.audio, self.delivery = content, audio, delivery
        self.group_chat, self.public_url = group_chat, public_url

    async def forever(self) -> None:
        while True:
            try:
                await self.once()
            except Exception as error:  # the relay must outlive a database or network hiccup
                # The type only: a database error's text can quote the message being stored.
                logger.error("Relaying hand-off messages failed (%s); trying again.", type(error).__name__)
            await asyncio.sleep(POLL_SECONDS)

    async def once(self) -> None:
        for waiting in await run(participants.undelivered, CHANNEL):
            if waiting.reply_address is None:
                continue  # the front end records the chat when the participant's request is sent
            message = outgoing.render(self.content.get(), self.audio, waiting)
            try:
                await self.delivery.send(int(waiting.reply_address), [message])
            except TelegramError as error:
                logger.warning("A coordinator's message could not be delivered yet: %s", type(error).__name__)
                return
            await run(participants.mark_delivered, [waiting.id])
        if self.group_chat is not None:
            for request in await run(coordination.unnotified):
                try:
                    await self.delivery.plain(self.group_chat, group_notice(request, self.public_url))
                except (BadRequest, Forbidden) as refused:
                    # Telegram will refuse this notice again (too long, bot not in the group): trying it
                    # every 2 s for ever would keep every later request from being announced. The
                    # request itself waits in the coordinators' list as always.
                    logger.error("Telegram refused the notice of %s: %s", request["reference"], type(refused).__name__)
                await run(coordination.mark_notified, [request["id"]])
