"""👍/👎 under a topic answer: counted per item, language and day, with no identity.

A tap counts only if it is a button this conversation was shown (the latest answer that carried it),
for an item that exists and is not an emergency answer: a typed or forged payload gets a polite
"could not save" and stores nothing. The language counted is that of the answer rated (a note in
the bot event's `custom`), so a Swedish answer shown to an Arabic speaker counts as Swedish. One
rating per item and conversation: a second tap is thanked but not counted, so one person cannot
push an item up or down. The row has no sender, conversation or text (bot/insights/models.py).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LANGUAGE_SLOT, content_store, entity_text, send, writer
from bot.content import replies, ui_text
from bot.content.store import Content
from bot.insights import store
from bot.languages import SOURCE_LANGUAGE
from bot.settings import INSIGHTS_RETENTION_DAYS

logger = logging.getLogger(__name__)

ITEM_ENTITY = "item"


def _record(lang: str, item: str, helpful: bool) -> None:
    try:
        store.record_rating(lang, item, helpful)
    except Exception as error:  # counting must never take the assistant down
        logger.warning("Could not count an answer rating (%s).", type(error).__name__)


def _offered_in(tracker: Tracker, payload: str) -> str | None:
    """The language of the latest answer that offered this button, or None if none did."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        if any(button.get("payload") == payload for button in data.get("buttons") or []):
            return (data.get("custom") or {}).get("lang")
    return None


def _rated_before(tracker: Tracker, item: str) -> bool:
    """Whether an earlier message of this conversation already rated this item."""
    earlier = {replies.rating_payload(item, rating) for rating in replies.RATINGS}
    users = [(event.get("text") or "").strip() for event in tracker.events if event.get("event") == "user"]
    return any(text in earlier for text in users[:-1])


def _rated_language(tracker: Tracker, content: Content) -> tuple[str | None, str]:
    """The answer's language if this message is a rating button the conversation was shown, and the
    item it rates."""
    item, rating = entity_text(tracker, ITEM_ENTITY), entity_text(tracker, replies.RATING_ENTITY)
    if item not in content.items or item in content.emergency_items() or rating not in replies.RATINGS:
        return None, ""
    text = (tracker.latest_message.get("text") or "").strip()
    if text != replies.rating_payload(item, rating):
        return None, item
    lang = _offered_in(tracker, text)
    return (lang if lang in content.languages() else None), item


class ActionRateAnswer(Action):
    """Counts a 👍 or 👎 and thanks briefly (with the way to a person and home, like every answer);
    refuses, politely, what no answer offered."""

    def name(self) -> str:
        return "action_rate_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content = content_store().get()
        lang = tracker.get_slot(LANGUAGE_SLOT) or SOURCE_LANGUAGE
        rated_in, item = _rated_language(tracker, content)
        if rated_in is None:
            send(dispatcher, tracker, replies.notice(content, ui_text.RATING_NOT_SAVED, lang))
            return []
        if INSIGHTS_RETENTION_DAYS > 0 and not _rated_before(tracker, item):
            helpful = entity_text(tracker, replies.RATING_ENTITY) == replies.HELPFUL
            writer.submit(_record, rated_in, item, helpful)
        send(dispatcher, tracker, replies.notice(content, ui_text.RATING_THANKS, lang))
        return []
