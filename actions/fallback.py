"""When the model is unsure: suggest the closest topics, never guess an answer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import unanswered
from actions.base import ContentAction, send
from bot.content import replies
from bot.content.store import Content
from bot.content.topics import intent_of_item, item_of_intent
from bot.insights.models import UNSURE
from bot.nlu.emergency import likely_emergency


class ActionFallback(ContentAction):
    """An unclear message gets the closest topics as buttons and the way to a coordinator; if the
    closest is an emergency, its answer comes first. Then: may we keep the question?"""

    def name(self) -> str:
        return "action_fallback"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        topics = unanswered.closest_topics(tracker.latest_message, content)
        urgent = map(intent_of_item, content.emergency_items())
        emergency = item_of_intent(likely_emergency(tracker.latest_message, urgent))
        if emergency:  # bot/nlu/emergency.py: its answer first, the other topics after it
            send(dispatcher, tracker, replies.answer(content, emergency, lang))
            topics = [topic for topic in topics if topic != emergency]
        send(dispatcher, tracker, replies.fallback(content, topics, lang))
        # After an emergency answer, no question about keeping this one: it is counted, no more.
        send(dispatcher, tracker, unanswered.note(tracker, content, lang, UNSURE, topics, ask=not emergency))
        return []
