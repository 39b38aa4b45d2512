"""Counts the questions the assistant could not answer, and keeps one's text only after a yes.

An unanswered question is counted at once with its language, nearest topic and day: no text, no
sender id. Then the participant is asked one question with two buttons, "may we keep your
question, without your name?" (ui.yml keep_question_ask). Only a tap on yes (`keep_question`
intent, this module's action) stores the text, scrubbed (`bot.insights.scrub`); no, or no tap at
all, keeps nothing more and the conversation goes on. The yes button names the question by its
place in the conversation, and a yes counts only for a question the assistant did ask about, so a
typed payload cannot keep, say, a name typed into the hand-off form.

The answer never waits for the database: writing goes to one background thread (actions/base.py
`writer`). A question repeated word for word in the same conversation is counted once, so the
counts say roughly how many people asked. Errors are logged by their type only: a message could carry text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LANGUAGE_SLOT, content_store, entity_text, send, writer
from bot import metrics
from bot.content import replies, ui_text
from bot.content.store import Content
from bot.content.topics import item_of_intent
from bot.insights import scrub, store
from bot.insights.models import OUT_OF_SCOPE, UNSURE
from bot.languages import SOURCE_LANGUAGE
from bot.settings import INSIGHTS_RETENTION_DAYS

logger = logging.getLogger(__name__)

KEEP_INTENT = "keep_question"
QUESTION_ENTITY = "question"  # which user message of the conversation, counted from 1
CONFIRM_ENTITY = "confirm"
YES, NO = "yes", "no"
OUT_OF_SCOPE_INTENT = "out_of_scope"
MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05


def closest_topics(parse_data: dict[str, Any], content: Content) -> list[str]:
    """Topic items from a message's intent ranking, most likely first."""
    ranking = parse_data.get("intent_ranking") or []
    topics = [
        item_of_intent(entry.get("name"))
        for entry in ranking
        if entry.get("confidence", 0) >= MIN_SUGGESTION_CONFIDENCE
    ]
    return [topic for topic in topics if topic in content.items][:MAX_SUGGESTIONS]


def keep_payload(question: int, answer: str) -> str:
    """A button of the keep question: the intent, which question, and yes or no."""
    entities = {QUESTION_ENTITY: str(question), CONFIRM_ENTITY: answer}
    return f"/{KEEP_INTENT}{json.dumps(entities, separators=(',', ':'))}"


def _nearest(content: Content, topics: list[str]) -> tuple[str | None, str | None]:
    topic = topics[0] if topics else None
    title = content.items[topic].title if topic in content.items else None
    return (topic if title else None), title


def _count(lang: str, kind: str, topic: str | None, title: str | None) -> None:
    try:
        store.record(lang, kind, topic, title)
    except Exception as error:  # counting must never take the assistant down
        logger.warning("Could not count an unanswered question (%s).", type(error).__name__)


def note(
    tracker: Tracker, content: Content, lang: str, kind: str, topics: list[str], ask: bool = True
) -> list[replies.Message]:
    """Counts the latest message as unanswered (`kind` from bot.insights.models), near the first of
    `topics` (the closest items, most likely first), and returns the question whether its text may
    be kept (none without `ask`, or when nothing was counted). Button payloads are not questions."""
    metrics.UNANSWERED.labels(metrics.language(lang), kind).inc()
    text = (tracker.latest_message.get("text") or "").strip()
    said = [(event.get("text") or "").strip() for event in tracker.events if event.get("event") == "user"]
    if INSIGHTS_RETENTION_DAYS <= 0 or not text or text.startswith("/") or text in said[:-1]:
        return []
    writer.submit(_count, lang, kind, *_nearest(content, topics))
    if not ask:
        return []
    return [replies.keep_question(content, lang, keep_payload(len(said), YES), keep_payload(len(said), NO))]


def _keep(lang: str, kind: str, topic: str | None, title: str | None, text: str, day: dt.date) -> None:
    try:
        scrubbed = scrub.scrub(text)
        if scrub.worth_keeping(scrubbed):
            store.keep_text(lang, kind, topic, title, scrubbed, day)
    except Exception as error:  # keeping insights must never take the assistant down
        logger.warning("Could not keep an unanswered question (%s).", type(error).__name__)


def _asked_about(tracker: Tracker, question: str) -> tuple[dict[str, Any] | None, bool]:
    """The user event `question` names, if the assistant asked to keep it; and whether a yes to it
    came before this one (then it is kept already, and is not kept twice)."""
    if not question.isdigit():
        return None, False
    number, yes = int(question), keep_payload(int(question), YES)
    events = tracker.events
    asked = any(
        button.get("payload") == yes
        for event in events
        if event.get("event") == "bot"
        for button in (event.get("data") or {}).get("buttons") or []
    )
    users = [event for event in events if event.get("event") == "user"]
    if not asked or not 1 <= number < len(users):
        return None, False
    again = any((event.get("text") or "").strip() == yes for event in users[number:-1])
    return users[number - 1], again


class ActionKeepQuestion(Action):
    """Yes or no to keeping an unanswered question's text; the answer says what happens to it."""

    def name(self) -> str:
        return "action_keep_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content = content_store().get()
        lang = tracker.get_slot(LANGUAGE_SLOT) or SOURCE_LANGUAGE
        event, again = _asked_about(tracker, entity_text(tracker, QUESTION_ENTITY) or "")
        if entity_text(tracker, CONFIRM_ENTITY) != YES or event is None:
            send(dispatcher, tracker, replies.notice(content, ui_text.QUESTION_NOT_KEPT, lang))
            return []
        if not again:
            parse_data = event.get("parse_data") or {}
            kind = OUT_OF_SCOPE if (parse_data.get("intent") or {}).get("name") == OUT_OF_SCOPE_INTENT else UNSURE
            day = dt.date.fromtimestamp(event.get("timestamp") or dt.datetime.now().timestamp())
            nearest = _nearest(content, closest_topics(parse_data, content))
            writer.submit(_keep, lang, kind, *nearest, event.get("text") or "", day)
        send(dispatcher, tracker, replies.notice(content, ui_text.QUESTION_KEPT, lang))
        return []


def _count_tap(lang: str, item: str, rank: int) -> None:
    try:
        store.record_tap(lang, item, rank)
    except Exception as error:  # counting must never take the assistant down
        logger.warning("Could not count a suggestion tap (%s).", type(error).__name__)


def count_tap(lang: str, item: str, rank: int) -> None:
    """Counts a tap on a topic offered when the assistant was unsure, in the background."""
    if INSIGHTS_RETENTION_DAYS > 0:
        writer.submit(_count_tap, lang, item, rank)
