"""The insights tables: one row per unanswered question, scrubbed, with nothing that points back.

A row has the day, the language, why the assistant did not answer (`kind`) and the nearest topic;
the scrubbed text only if the participant tapped yes to "may we keep your question" (`consented`),
else "". No sender id, no time of day and no conversation, so a row cannot be matched to a
conversation, a log line or a person seen typing. The tables share the hand-off tables' `Base` and
their migrations (bot/storage/migrations/).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, String, false

from bot.handoff.models import Base
from bot.insights.scrub import MAX_CHARS

UNSURE = "unsure"  # the model was not sure which topic was meant (nlu_fallback)
OUT_OF_SCOPE = "out_of_scope"  # the model was sure the question is outside what the assistant covers
KINDS = (UNSURE, OUT_OF_SCOPE)


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    kind = Column(String(16), nullable=False)
    topic = Column(String(64))  # the content id the model ranked highest, if any
    topic_title = Column(String(200))  # its Swedish title then, so the row still reads after content changes
    text = Column(String(MAX_CHARS), nullable=False, default="")  # scrubbed (scrub.py); "" unless consented
    consented = Column(Boolean, nullable=False, default=False, server_default=false())


class SuggestionTap(Base):
    """A tap on one of the three topics offered when the assistant was unsure: which one (its rank
    and item), in which language, on which day. No text and no sender: coordinators see which
    suggestions help, and which topics people reach only through one."""

    __tablename__ = "suggestion_taps"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    item = Column(String(64), nullable=False)
    rank = Column(Integer, nullable=False)  # 1 = the most likely of the three


class UsageCount(Base):
    """How often something happened on one day, for the funder's monthly summary (bot/insights/usage.py):
    a conversation started, an answer or emergency answer shown, a hand-off requested or booked. One
    row per day, channel, language, kind, item and municipality with a count; no sender, no text and
    no time of day, so a row names nobody; it is kept USAGE_RETENTION_DAYS (docs/privacy.md). `item`
    is the content id of an answer ("" for the others); `municipality` is set only for hand-offs,
    the one thing a participant tells us the municipality of."""

    __tablename__ = "usage_counts"
    day = Column(Date, primary_key=True)
    channel = Column(String(16), primary_key=True)  # "telegram", "web" or "other"
    language = Column(String(8), primary_key=True)
    kind = Column(String(24), primary_key=True)
    item = Column(String(64), primary_key=True, default="")
    municipality = Column(String(100), primary_key=True, default="")
    count = Column(Integer, nullable=False, default=0)


class AnswerRating(Base):
    """A tap on 👍 or 👎 under a topic answer: which item, in which language, on which day, and
    whether it helped. No sender, no conversation and no text, so a row cannot be matched to a
    person; coordinators see which answers most often do not help (bot/web/insights.py)."""

    __tablename__ = "answer_ratings"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(8), nullable=False)
    item = Column(String(64), nullable=False)
    helpful = Column(Boolean, nullable=False)
