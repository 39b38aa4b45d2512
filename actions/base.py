"""What every answering action shares: the content store, emergencies first, odd input politely."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import replies, ui_text
from bot.content import Content, ContentStore
from bot.settings import CONTENT_DIR, MAX_MESSAGE_CHARS

LAST_ITEM_SLOT = "last_item"


@lru_cache(maxsize=1)
def content_store() -> ContentStore:
    return ContentStore(CONTENT_DIR)


def send(dispatcher: CollectingDispatcher, message: replies.Message) -> None:
    dispatcher.utter_message(text=message["text"], buttons=message["buttons"], json_message=message["custom"])


class ContentAction(Action, ABC):
    """Answers from content; an emergency comes first, and empty or huge messages get a kind note."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        content = content_store().get()
        text = tracker.latest_message.get("text") or ""
        urgent = content.urgent_item(text)
        if urgent:
            send(dispatcher, replies.answer(content, urgent))
            return [SlotSet(LAST_ITEM_SLOT, urgent)]
        if not any(ch.isalnum() for ch in text):
            send(dispatcher, replies.notice(content, ui_text.EMPTY_MESSAGE))
            return []
        if len(text) > MAX_MESSAGE_CHARS:
            send(dispatcher, replies.notice(content, ui_text.TOO_LONG))
            return []
        return self.respond(dispatcher, tracker, content)

    @abstractmethod
    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content) -> list[dict[str, Any]]:
        """The action's own answer, once emergencies and odd input are handled."""
