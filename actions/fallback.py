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

MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05


def closest_topics(tracker: Tracker, content: Content) -> list[str]:
    """Topic items from the model's intent ranking, most likely first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    topics = [
        item_of_intent(entry.get("name"))
        for entry in ranking
        if entry.get("confidence", 0) >= MIN_SUGGESTION_CONFIDENCE
    ]
    return [topic for topic in topics if topic in content.items][:MAX_SUGGESTIONS]


class ActionFallback(ContentAction):
    """An unclear message gets the closest topics as buttons and the way to a coordinator; if the
    closest is an emergency, its answer comes first."""

    def name(self) -> str:
        return "action_fallback"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        topics = closest_topics(tracker, content)
        ranking = tracker.latest_message.get("intent_ranking") or []
        emergency = item_of_intent(likely_emergency(ranking, map(intent_of_item, content.emergency_items())))
        if emergency:  # bot/nlu/emergency.py: its answer first, the other topics after it
            send(dispatcher, replies.answer(content, emergency, lang))
            topics = [topic for topic in topics if topic != emergency]
        send(dispatcher, replies.fallback(content, topics, lang))
        unanswered.note(tracker, content, lang, UNSURE, topics)
        return []
