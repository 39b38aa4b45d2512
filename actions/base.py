"""What every answering action shares: content, the participant's language, emergencies first,
and a kind answer to messages that are empty or too long."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import metrics
from bot.audio.library import AudioIndex
from bot.content import replies, ui_text
from bot.content.store import Content, ContentStore
from bot.content.topics import item_of_intent
from bot.handoff import participants
from bot.insights import usage
from bot.languages import SOURCE_LANGUAGE
from bot.nlu import language, other_languages
from bot.settings import AUDIO_DIR, CONTENT_DIR, MAX_MESSAGE_CHARS, PUBLIC_URL
from bot.storage.database import transaction

logger = logging.getLogger(__name__)
LAST_ITEM_SLOT = "last_item"
LANGUAGE_SLOT = "language"

# One thread writes every count and insights row (usage counts, unanswered questions, taps, ratings)
# off the answer's path: an answer never waits for a database commit, and writes keep their order.
writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="insights")


@lru_cache(maxsize=1)
def content_store() -> ContentStore:
    return ContentStore(CONTENT_DIR)


@lru_cache(maxsize=1)
def audio_index() -> AudioIndex:
    return AudioIndex(AUDIO_DIR, PUBLIC_URL)


def send(dispatcher: CollectingDispatcher, tracker: Tracker, messages: list[replies.Message]) -> None:
    """Sends each message with the URLs of its audio, when this exact text has audio; an emergency
    answer among them is counted (bot/metrics.py) once, and every answer for the funder's summary
    (`count_usage`)."""
    emergencies = content_store().get().emergency_items()
    emergency = next((m["custom"] for m in messages if m["custom"].get("item") in emergencies), None)
    if emergency is not None:
        metrics.EMERGENCIES.labels(metrics.language(emergency.get("lang"))).inc()
    first = not dispatcher.messages and not any(event.get("event") == "bot" for event in tracker.events)
    for message in audio_index().voiced(messages):
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"], json_message=message["custom"])
    count_usage(tracker.sender_id, messages, emergencies, first)


def count_usage(sender: str, messages: list[replies.Message], emergencies: set[str], first: bool) -> None:
    """Counts, per day, channel and language (bot/insights/usage.py): a conversation at its first
    answer, each content item shown, and each emergency item. Only the channel is taken from the
    sender id. What to count is decided here; the writer thread writes it, so a slow or broken
    database costs the count, never the participant's answer or its time."""
    channel = participants.channel_of(sender)
    counts: list[tuple[str, str, str]] = []  # (kind, language, item)
    if first and messages:
        counts.append((usage.CONVERSATION, messages[0]["custom"].get("lang", SOURCE_LANGUAGE), ""))
    for message in messages:
        item, lang = message["custom"].get("item"), message["custom"].get("lang", SOURCE_LANGUAGE)
        if item:
            counts.append((usage.ANSWER, lang, item))
        if item in emergencies:
            counts.append((usage.EMERGENCY, lang, item))
    if counts:
        writer.submit(_write_usage, channel, counts)


def _write_usage(channel: str, counts: list[tuple[str, str, str]]) -> None:
    try:
        with transaction() as session:
            for kind, lang, item in counts:
                usage.add(session, kind, channel, lang, item)
    except Exception as error:  # counting must never take the assistant down; the type only, no text
        logger.warning("Usage not counted: %s", type(error).__name__)


def entity_text(tracker: Tracker, name: str) -> str | None:
    """The latest message's entity `name` if it is text. Buttons carry text, but anyone can type a
    payload: in `/show{"item": {"id": "somn"}}` the item is a dict, which no dict lookup accepts
    (the hostile-input run found the action failing, and the participant getting no answer)."""
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) else None


def asked_topic(tracker: Tracker, content: Content) -> str | None:
    """The topic the classifier chose. A trigger answers first whatever the question was; this
    keeps the question one tap away: "someone hit me on the bus last month" gets the answer on
    violence and 112, with Brottsofferjouren as its first topic button (none when it is the same item)."""
    topic = item_of_intent(tracker.latest_message.get("intent", {}).get("name"))
    return topic if topic in content.items else None


def conversation_language(tracker: Tracker, content: Content) -> str:
    """The language of this message if it says so clearly, else the conversation's, else Swedish."""
    detected = language.detect(tracker.latest_message.get("text") or "")
    if detected in content.languages():
        return detected
    return tracker.get_slot(LANGUAGE_SLOT) or SOURCE_LANGUAGE


class ContentAction(Action, ABC):
    """Answers from content in the participant's language; an emergency always comes first."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        content = content_store().get()
        lang = conversation_language(tracker, content)
        events = [SlotSet(LANGUAGE_SLOT, lang)] if lang != tracker.get_slot(LANGUAGE_SLOT) else []
        text = tracker.latest_message.get("text") or ""
        urgent = content.urgent_item(text)
        if urgent:
            send(dispatcher, tracker, replies.answer(content, urgent, lang, asked=asked_topic(tracker, content)))
            return [*events, SlotSet(LAST_ITEM_SLOT, urgent)]
        unsupported = other_languages.detect(text[:MAX_MESSAGE_CHARS])
        if unsupported:
            send(dispatcher, tracker, replies.not_supported(content, other_languages.NOT_SUPPORTED[unsupported], lang))
            return events
        if not any(ch.isalnum() for ch in text):
            send(dispatcher, tracker, replies.notice(content, ui_text.EMPTY_MESSAGE, lang))
            return events
        if len(text) > MAX_MESSAGE_CHARS:
            send(dispatcher, tracker, replies.notice(content, ui_text.TOO_LONG, lang))
            return events
        return events + self.respond(dispatcher, tracker, content, lang)

    @abstractmethod
    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        """The action's own answer, once language, emergencies and odd input are handled."""
