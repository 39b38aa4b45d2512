"""Counting unanswered questions and answer ratings, keeping a question's text after a yes, summing
them up for coordinators, and forgetting old ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import delete, select

from bot.insights.models import AnswerRating, SuggestionTap, UnansweredQuestion
from bot.insights.scrub import MAX_CHARS
from bot.settings import DATABASE_URL, INSIGHTS_RETENTION_DAYS
from bot.storage.database import transaction

MAX_EXAMPLES = 5


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week `day` is in: the finest time coordinators are shown."""
    return day - dt.timedelta(days=day.weekday())


def record(
    language: str,
    kind: str,
    topic: str | None,
    topic_title: str | None,
    day: dt.date | None = None,
    url: str = DATABASE_URL,
) -> None:
    """Counts one unanswered question: its language, kind, nearest topic and day, never its text."""
    with transaction(url) as session:
        session.add(
            UnansweredQuestion(
                day=day or dt.date.today(), language=language, kind=kind, topic=topic, topic_title=topic_title
            )
        )


def keep_text(
    language: str,
    kind: str,
    topic: str | None,
    topic_title: str | None,
    scrubbed: str,
    day: dt.date,
    url: str = DATABASE_URL,
) -> None:
    """After the participant's yes: the text of a question `record` counted. Rows of the same day,
    language, kind and topic cannot be told apart, so the text goes into any one of them still
    without text, and nothing links it to the conversation; a new row only if none is left.
    `scrubbed` must already be free of personal data."""
    counted = (
        select(UnansweredQuestion)
        .where(
            UnansweredQuestion.day == day,
            UnansweredQuestion.language == language,
            UnansweredQuestion.kind == kind,
            UnansweredQuestion.topic.is_(None) if topic is None else UnansweredQuestion.topic == topic,
            UnansweredQuestion.consented.is_(False),
        )
        .limit(1)
    )
    with transaction(url) as session:
        row = session.scalars(counted).first()
        if row is None:
            row = UnansweredQuestion(day=day, language=language, kind=kind, topic=topic, topic_title=topic_title)
            session.add(row)
        row.text, row.consented = scrubbed[:MAX_CHARS], True


def record_tap(language: str, item: str, rank: int, day: dt.date | None = None, url: str = DATABASE_URL) -> None:
    """Counts one tap on an offered topic (see SuggestionTap): nothing else is kept."""
    with transaction(url) as session:
        session.add(SuggestionTap(day=day or dt.date.today(), language=language, item=item, rank=rank))


def taps(since: dt.date, url: str = DATABASE_URL) -> list[dict[str, Any]]:
    """Taps on offered topics since `since`, per language, item and rank; the most tapped first."""
    with transaction(url) as session:
        rows = session.execute(
            select(SuggestionTap.language, SuggestionTap.item, SuggestionTap.rank).where(SuggestionTap.day >= since)
        ).all()
    counted = Counter((language, item, rank) for language, item, rank in rows)
    return [
        {"language": language, "item": item, "rank": rank, "count": count}
        for (language, item, rank), count in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def record_rating(language: str, item: str, helpful: bool, day: dt.date | None = None, url: str = DATABASE_URL) -> None:
    """Counts one 👍 (`helpful`) or 👎 under an answer (see AnswerRating): nothing else is kept."""
    with transaction(url) as session:
        session.add(AnswerRating(day=day or dt.date.today(), language=language, item=item, helpful=helpful))


def ratings(since: dt.date, language: str | None = None, url: str = DATABASE_URL) -> list[dict[str, Any]]:
    """Ratings since `since`, per language and item, with counts up and down; the items with the
    most 👎 first, so what most often fails is read first."""
    query = select(AnswerRating.language, AnswerRating.item, AnswerRating.helpful).where(AnswerRating.day >= since)
    if language:
        query = query.where(AnswerRating.language == language)
    with transaction(url) as session:
        rows = session.execute(query).all()
    counted = Counter((lang, item, helpful) for lang, item, helpful in rows)
    pairs = sorted({(lang, item) for lang, item, _ in rows})
    rated = [
        {"language": lang, "item": item, "up": counted[(lang, item, True)], "down": counted[(lang, item, False)]}
        for lang, item in pairs
    ]
    return sorted(rated, key=lambda row: (row["language"], -row["down"], row["up"]))


def _group(rows: list[UnansweredQuestion], starts: list[dt.date]) -> dict[str, Any]:
    """One topic's counts per week, by kind, and its most asked examples, the newest first among
    equals: only questions whose askers said yes to keeping the text (`kept` of `total`)."""
    counts = [0] * len(starts)
    for row in rows:
        counts[starts.index(week_of(row.day))] += 1
    consented = [row for row in rows if row.consented]
    asked = Counter(row.text for row in consented)
    latest = {row.text: row.id for row in consented}  # rows come oldest first
    examples = sorted(asked, key=lambda text: (-asked[text], -latest[text]))
    return {
        "topic": rows[0].topic,
        "title": next((row.topic_title for row in reversed(rows) if row.topic_title), None),
        "counts": counts,
        "total": len(rows),
        "kept": len(consented),
        "kinds": dict(Counter(row.kind for row in rows)),
        "examples": [{"text": text, "count": asked[text]} for text in examples[:MAX_EXAMPLES]],
    }


def summary(
    weeks: int, language: str | None = None, today: dt.date | None = None, url: str = DATABASE_URL
) -> dict[str, Any]:
    """The last `weeks` weeks (this one included), grouped by language and then nearest topic,
    each with counts per week; the biggest groups first."""
    starts = [week_of(today or dt.date.today()) - dt.timedelta(weeks=n) for n in reversed(range(weeks))]
    end = starts[-1] + dt.timedelta(weeks=1)
    query = (
        select(UnansweredQuestion)
        .where(UnansweredQuestion.day >= starts[0], UnansweredQuestion.day < end)
        .order_by(UnansweredQuestion.day, UnansweredQuestion.id)
    )
    if language:
        query = query.where(UnansweredQuestion.language == language)
    with transaction(url) as session:
        rows = list(session.scalars(query))
    by_topic: dict[str, dict[str | None, list[UnansweredQuestion]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_topic[row.language][row.topic].append(row)
    languages = []
    for lang, topics in by_topic.items():
        groups = sorted((_group(topic_rows, starts) for topic_rows in topics.values()), key=_biggest_first)
        counts = [sum(group["counts"][week] for group in groups) for week in range(weeks)]
        languages.append({"language": lang, "counts": counts, "total": sum(counts), "topics": groups})
    return {
        "weeks": [{"start": start.isoformat(), "week": start.isocalendar()[1]} for start in starts],
        "total": len(rows),
        "suggestion_taps": [tap for tap in taps(starts[0], url) if not language or tap["language"] == language],
        "ratings": ratings(starts[0], language, url),
        "languages": sorted(languages, key=lambda group: (-group["total"], group["language"])),
    }


def _biggest_first(group: dict[str, Any]) -> tuple:
    return (-group["total"], group["topic"] is None, group["topic"] or "")


def forget_old(days: int = INSIGHTS_RETENTION_DAYS, today: dt.date | None = None, url: str = DATABASE_URL) -> int:
    """Retention: deletes the questions (and suggestion taps and answer ratings) of days more than
    `days` ago; returns how many questions."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    with transaction(url) as session:
        session.execute(delete(SuggestionTap).where(SuggestionTap.day < cutoff))
        session.execute(delete(AnswerRating).where(AnswerRating.day < cutoff))
        return session.execute(delete(UnansweredQuestion).where(UnansweredQuestion.day < cutoff)).rowcount
