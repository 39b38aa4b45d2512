"""Answers to questions and button taps: an item, a section, or a short interface text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import unanswered
from actions.base import LAST_ITEM_SLOT, ContentAction, entity_text, send
from bot.content import replies, ui_text
from bot.content.store import Content
from bot.content.topics import item_of_intent
from bot.insights.models import OUT_OF_SCOPE
from bot.nlu.retrieval import best_part

ITEM_ENTITY = "item"
LANGUAGE_ENTITY = "language"

# Conversation intents that get a short interface text rather than a content item.
NOTICES = {
    "thanks": ui_text.THANKS,
    "goodbye": ui_text.GOODBYE,
    "bot_challenge": ui_text.BOT_CHALLENGE,
}
OUT_OF_SCOPE_ITEM = "out_of_scope"
SUGGESTION_RANKS = ("1", "2", "3")
# A typed question about a lesson gets the part it matches this well (bot.nlu.retrieval.best_part).
PART_MIN_SIMILARITY = 0.3


def _requested_node(tracker: Tracker, content: Content) -> str | None:
    """The item a tap or question asks for; "nästa" means the part after the last one shown."""
    entity = entity_text(tracker, ITEM_ENTITY)
    if entity in content.items or entity in content.section_items:
        return entity
    topic = item_of_intent(tracker.latest_message.get("intent", {}).get("name"))
    if topic in content.items:
        text = tracker.latest_message.get("text") or ""
        return best_part(content, topic, text, PART_MIN_SIMILARITY) or topic
    last = tracker.get_slot(LAST_ITEM_SLOT)
    if last in content.items:
        return content.next_part(last) or (last if content.items[last].parts else None)
    return None


class ActionShow(ContentAction):
    """Shows the item or section asked for (question, button or "nästa"), once in Swedish on request."""

    def name(self) -> str:
        return "action_show"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        node = _requested_node(tracker, content)
        if node is None:
            send(dispatcher, tracker, replies.menu(content, lang))
            return []
        rank = entity_text(tracker, replies.SUGGESTION_RANK)
        if rank in SUGGESTION_RANKS and node in content.items:
            unanswered.count_tap(lang, node, int(rank))
        once_in = entity_text(tracker, LANGUAGE_ENTITY)
        shown_in = once_in if once_in in content.languages() else lang
        send(dispatcher, tracker, replies.show(content, node, shown_in, rate=node != OUT_OF_SCOPE_ITEM))
        return [SlotSet(LAST_ITEM_SLOT, node)]


class ActionNotice(ContentAction):
    """Thanks, goodbye, "are you a bot" and out-of-scope questions: short honest answers."""

    def name(self) -> str:
        return "action_notice"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent in NOTICES:
            send(dispatcher, tracker, replies.notice(content, NOTICES[intent], lang))
        else:
            send(dispatcher, tracker, replies.answer(content, OUT_OF_SCOPE_ITEM, lang))
            topics = unanswered.closest_topics(tracker.latest_message, content)
            send(dispatcher, tracker, unanswered.note(tracker, content, lang, OUT_OF_SCOPE, topics))
        return []
