"""Keeps the questions the assistant could not answer, scrubbed, for coordinators' content work.

The answer never waits for this and never fails because of it: the question goes to one
background thread that scrubs it (`bot.insights.scrub`) and stores it (`bot.insights.store`).
Only the scrubbed text, the language, the day and the nearest topic are kept: never the sender
id. A question repeated word for word in the same conversation is kept once, so the counts say
roughly how many people asked. Errors are logged by their type only: a message could carry text.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from rasa_sdk import Tracker

from bot.content.store import Content
from bot.insights import scrub, store
from bot.settings import INSIGHTS_RETENTION_DAYS

logger = logging.getLogger(__name__)

_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="insights")


def _keep(lang: str, kind: str, topic: str | None, title: str | None, text: str) -> None:
    try:
        scrubbed = scrub.scrub(text)
        if scrub.worth_keeping(scrubbed):
            store.record(lang, kind, topic, title, scrubbed)
    except Exception as error:  # keeping insights must never take the assistant down
        logger.warning("Could not keep an unanswered question (%s).", type(error).__name__)


def note(tracker: Tracker, content: Content, lang: str, kind: str, topics: list[str]) -> None:
    """Keeps the latest message as unanswered (`kind` from bot.insights.models), near the first
    of `topics` (the closest items, most likely first). Button payloads ("/…") are not questions."""
    text = (tracker.latest_message.get("text") or "").strip()
    said = [(event.get("text") or "").strip() for event in tracker.events if event.get("event") == "user"]
    if INSIGHTS_RETENTION_DAYS <= 0 or not text or text.startswith("/") or text in said[:-1]:
        return
    topic = topics[0] if topics else None
    title = content.items[topic].title if topic in content.items else None
    _writer.submit(_keep, lang, kind, topic if title else None, title, text)


def _count(lang: str, item: str, rank: int) -> None:
    try:
        store.record_tap(lang, item, rank)
    except Exception as error:  # counting must never take the assistant down
        logger.warning("Could not count a suggestion tap (%s).", type(error).__name__)


def count_tap(lang: str, item: str, rank: int) -> None:
    """Counts a tap on a topic offered when the assistant was unsure, in the background."""
    if INSIGHTS_RETENTION_DAYS > 0:
        _writer.submit(_count, lang, item, rank)
