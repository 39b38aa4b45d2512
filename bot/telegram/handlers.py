"""What the bot does with each kind of update; one short handler each, as in PTB's examples.

Every message, command and button tap becomes a message to Rasa (the same payloads the buttons
carry), so Telegram adds no dialogue logic of its own. Only what Rasa cannot do is done here: the
"see and delete my data" flow (it must work on the conversation from outside), and the kind
replies for when Rasa is down, a participant floods, or sends something that is not text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref

from cachetools import TTLCache
from telegram import Update
from telegram.ext import ContextTypes

from bot import keys
from bot.assistant_client import AssistantClient, AssistantUnavailableError
from bot.audio.library import AudioIndex
from bot.content import replies, ui_text
from bot.content.store import ContentStore
from bot.handoff import participants
from bot.languages import SOURCE_LANGUAGE
from bot.rasa.retention import RETENTION
from bot.storage.database import run
from bot.telegram.conversation_id import conversation_id
from bot.telegram.delivery import Delivery
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.pending import Pending

logger = logging.getLogger(__name__)

HELP_ITEM = "om_halsolotsen"
MAX_CHATS = 100_000
# Telegram's limit for a message; Rasa answers anything over its own, lower limit kindly.
MAX_FORWARDED_CHARS = 4096
# Callback data of the delete confirmation: handled here, never sent to Rasa (which has no "/").
DELETE_CONFIRMED = "radera:ja"
DELETE_CANCELLED = "radera:nej"

# Command → what it sends to Rasa, and its description in Telegram's command menu.
COMMANDS = {
    "start": ("/start", ui_text.COMMAND_START),
    "meny": (replies.MENU_PAYLOAD, ui_text.COMMAND_MENU),
    "sprak": (replies.LANGUAGE_PAYLOAD, ui_text.COMMAND_LANGUAGE),
    "hjalp": (replies.show_payload(HELP_ITEM), ui_text.COMMAND_HELP),
    "koordinator": (replies.HANDOFF_PAYLOAD, ui_text.COMMAND_COORDINATOR),
    "radera": ("", ui_text.COMMAND_DELETE),
}
# Telegram's own conventions: its apps send /help, /settings and /privacy from the bot's profile
# menu, and people who use other bots type them. Each does what our Swedish command does; the menu
# above lists only ours, so it stays short.
ALIASES = {"help": "hjalp", "settings": "sprak", "privacy": "radera"}


class FrontEnd:
    """The handlers and what they share: content, audio, the assistant, delivery, limits, waiting messages."""

    def __init__(
        self,
        content: ContentStore,
        audio: AudioIndex,
        assistant: AssistantClient,
        delivery: Delivery,
        flood: FloodGuard,
    ) -> None:
        self.content = content
        self.audio = audio
        self._sender_key = keys.shared_secret(keys.SENDER_KEY)
        self.assistant = assistant
        self.delivery = delivery
        self.flood = flood
        self.pending = Pending(self._answer_waiting)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        # The language of each chat's last answer, for the texts said here; forgotten like Rasa forgets.
        self._languages: TTLCache[int, str] = TTLCache(MAX_CHATS, ttl=RETENTION.total_seconds())

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: a welcome and the language choice, in the language of the link they came by
        (`t.me/<bot>?start=ti`, a poster per language) or else a guess from their phone's language."""
        languages = self.content.get().languages()
        payload = (context.args[0] if context.args else "").lower()
        phone = (update.effective_user.language_code or "")[:2]
        chosen = next((lang for lang in (payload, phone) if lang in languages), None)
        entities = json.dumps({"language": chosen}) if chosen else ""
        await self._converse(update, COMMANDS["start"][0] + entities)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/meny, /sprak, /hjalp, /koordinator and the aliases /help, /settings: the same as tapping that button."""
        name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
        await self._converse(update, COMMANDS[ALIASES.get(name, name)][0])

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/foo…: a command we don't have. Our commands and the menu, in the conversation's
        language; in Swedish with the language choice if it has none yet. Not sent to Rasa: nothing stored."""
        if not await self._admitted(update):
            return
        lang = await self._conversation_language(update.effective_chat.id)
        descriptions = {name: key for name, (_, key) in COMMANDS.items()}
        messages = replies.command_help(self.content.get(), lang or SOURCE_LANGUAGE, descriptions, lang is None)
        await self.delivery.send(update.effective_chat.id, self.audio.voiced(messages))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A typed question."""
        await self._converse(update, update.effective_message.text[:MAX_FORWARDED_CHARS])

    async def tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button: works like typing its payload."""
        query = update.callback_query
        await query.answer()
        if query.data in (DELETE_CONFIRMED, DELETE_CANCELLED):
            await query.edit_message_reply_markup(reply_markup=None)
            if query.data == DELETE_CONFIRMED:
                await self._delete_confirmed(update)
            else:
                await self._say(update, ui_text.DATA_KEPT)
            return
        await self._converse(update, query.data or "")

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A voice message, photo, sticker, file…: we read text only; say so kindly, with the way on."""
        if await self._admitted(update):
            await self._say(update, ui_text.NOT_TEXT)

    async def show_data(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/radera and /privacy: what is stored about me, why and how long, and a button to delete it all."""
        sender = self._conversation(update.effective_chat.id)
        try:
            stored = await self.assistant.stored(sender)
        except AssistantUnavailableError:
            await self._say(update, ui_text.BUSY)
            return
        lang = self._language(update, stored.get("language"))
        requests = stored.get("handoff_requests", 0)
        if not stored["stored"] and not requests:
            await self._say(update, ui_text.DATA_NOTHING, lang)
            return
        messages = replies.stored_data(
            self.content.get(), lang, stored["messages"], DELETE_CONFIRMED, DELETE_CANCELLED, requests
        )
        await self.delivery.send(update.effective_chat.id, self.audio.voiced(messages))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs what failed (never what was written) and tells the participant instead of going silent."""
        logger.error("Handling an update failed: %s", type(context.error).__name__, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            await self._say(update, ui_text.BUSY)

    async def _converse(self, update: Update, text: str) -> None:
        chat_id = update.effective_chat.id
        if not await self._admitted(update):
            return
        async with self._lock(chat_id):
            if self.pending.has(chat_id):
                self.pending.add(chat_id, text)
                return
            try:
                await self._ask_and_show(chat_id, text)
            except AssistantUnavailableError as error:
                logger.warning("%s The participant is told, and the message waits.", error)
                await self._say(update, ui_text.BUSY)
                self.pending.add(chat_id, text)

    async def _answer_waiting(self, chat_id: int, text: str) -> None:
        async with self._lock(chat_id):
            await self._ask_and_show(chat_id, text)

    async def _ask_and_show(self, chat_id: int, text: str) -> None:
        sender = self._conversation(chat_id)
        messages = await self.assistant.ask(sender, text)
        if messages:
            self._languages[chat_id] = messages[-1].get("custom", {}).get("lang", SOURCE_LANGUAGE)
        if any(message.get("custom", {}).get("handoff") for message in messages):
            # They asked to be contacted in this chat: now, and only now, we keep where it is.
            await run(participants.set_reply_address, sender, str(chat_id))
        await self.delivery.send(chat_id, messages)

    async def _delete_confirmed(self, update: Update) -> None:
        chat_id = update.effective_chat.id
        try:
            await self.assistant.forget(self._conversation(chat_id))
        except AssistantUnavailableError:
            await self._say(update, ui_text.BUSY)
            return
        lang = self._language(update)
        self.pending.forget(chat_id)
        self.flood.forget(update.effective_user.id)
        self._languages.pop(chat_id, None)
        await self._say(update, ui_text.DATA_DELETED, lang)

    async def _admitted(self, update: Update) -> bool:
        verdict = await self.flood.admit(update.effective_user.id)
        if verdict is Verdict.SLOW_DOWN:
            await self._say(update, ui_text.TOO_FAST)
        return verdict is Verdict.ANSWER

    async def _say(self, update: Update, key: str, lang: str | None = None) -> None:
        """A short text of our own, in the participant's language, with its audio and the way on."""
        messages = replies.notice(self.content.get(), key, lang or self._language(update))
        await self.delivery.send(update.effective_chat.id, self.audio.voiced(messages))

    async def _conversation_language(self, chat_id: int) -> str | None:
        """The language Rasa keeps for the conversation; None if it has none yet (or Rasa cannot say:
        then help in Swedish with the language choice is still right)."""
        try:
            known = (await self.assistant.stored(self._conversation(chat_id))).get("language")
        except AssistantUnavailableError:
            return None
        return known if known in self.content.get().languages() else None

    def _language(self, update: Update, stored: str | None = None) -> str:
        """The language of the last answer, else the stored one, else the phone's, else Swedish."""
        languages = self.content.get().languages()
        for candidate in (
            self._languages.get(update.effective_chat.id),
            stored,
            (update.effective_user.language_code or "")[:2],
        ):
            if candidate in languages:
                return candidate
        return SOURCE_LANGUAGE

    def _conversation(self, chat_id: int) -> str:
        return conversation_id(chat_id, self._sender_key)

    def _lock(self, chat_id: int) -> asyncio.Lock:
        """One answer at a time per chat, so a quick second message is answered after the first."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock
