"""Counting what the funder asks about (ESF): conversations, answers, emergency answers and hand-offs
per day, channel and language, and summing a month of them up.

Each event adds one to a row of `usage_counts` (models.UsageCount) in the same database as the rest;
nothing about who: no sender, no text, no time of day. Participants never tell us their
municipality, except in a hand-off request, so only hand-off figures are per municipality; the rest
is for the whole installation. The hand-off counts are made when a request is made or booked, in
the same transaction, because the requests themselves are deleted after their retention while the
funder asks about the whole month. The action server's counts (conversations, answers,
emergencies) are written by its one writer thread (actions/base.py `writer`), after the answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.insights.models import UsageCount
from bot.settings import DATABASE_URL, USAGE_RETENTION_DAYS
from bot.storage.database import transaction

CONVERSATION = "conversation"  # a conversation's first answer
ANSWER = "answer"  # a content item shown (item)
EMERGENCY = "emergency"  # an emergency item shown (item), counted as an answer too
HANDOFF_REQUESTED = "handoff_requested"  # a hand-off request confirmed (municipality)
HANDOFF_BOOKED = "handoff_booked"  # a hand-off request booked (municipality)
KINDS = (CONVERSATION, ANSWER, EMERGENCY, HANDOFF_REQUESTED, HANDOFF_BOOKED)
CSV_FIELDS = ("månad", "mått", "kanal", "språk", "ämne", "kommun", "antal")
_INSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_KEY = ("day", "channel", "language", "kind", "item", "municipality")


def add(
    session: Session,
    kind: str,
    channel: str,
    language: str,
    item: str = "",
    municipality: str = "",
    day: dt.date | None = None,
) -> None:
    """Adds one to the day's row in `session`'s transaction: one statement (an upsert), so two
    processes counting at once both count."""
    insert = _INSERTS[session.get_bind().dialect.name](UsageCount)
    row = {"day": day or dt.date.today(), "channel": channel, "language": language, "kind": kind}
    row.update(item=item[:64], municipality=municipality[:100], count=1)
    session.execute(
        insert.values(**row).on_conflict_do_update(index_elements=list(_KEY), set_={"count": UsageCount.count + 1})
    )


def forget_old(days: int = USAGE_RETENTION_DAYS, today: dt.date | None = None, url: str = DATABASE_URL) -> int:
    """Retention: deletes the rows of days more than `days` ago; returns how many rows. Counts name
    nobody, but the project keeps nothing longer than it needs (docs/operators.md, "Settings")."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    with transaction(url) as session:
        return session.execute(delete(UsageCount).where(UsageCount.day < cutoff)).rowcount


def month_range(month: str) -> tuple[dt.date, dt.date]:
    """The first day of `month` ("2026-12") and of the month after; ValueError if it is not one."""
    start = dt.datetime.strptime(month, "%Y-%m").date()
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def month_rows(month: str, url: str = DATABASE_URL) -> list[UsageCount]:
    """The month's rows: ValueError for a month that is not YYYY-MM."""
    start, end = month_range(month)
    with transaction(url) as session:
        query = select(UsageCount).where(UsageCount.day >= start, UsageCount.day < end)
        return list(session.scalars(query))


def summary(month: str, serves: Callable[[str], bool], url: str = DATABASE_URL) -> dict[str, Any]:
    """The month for one account: everything for the whole installation, and hand-offs only for
    the municipalities `serves` says yes to."""
    rows = month_rows(month, url)
    totals: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    for row in rows:
        if row.kind in (HANDOFF_REQUESTED, HANDOFF_BOOKED):
            if serves(row.municipality):
                totals[row.kind][row.municipality] += row.count
        elif row.kind == CONVERSATION:
            totals[CONVERSATION][(row.channel, row.language)] += row.count
        else:
            totals[row.kind][(row.item, row.language)] += row.count
    conversations, answers = totals[CONVERSATION], totals[ANSWER]
    languages = sorted({lang for _, lang in conversations} | {lang for _, lang in answers})
    return {
        "month": month,
        "conversations": {
            "total": sum(conversations.values()),
            "by_channel": _summed(conversations, 0),
        },
        "languages": [
            {
                "language": lang,
                "conversations": sum(n for (_, code), n in conversations.items() if code == lang),
                "answers": sum(n for (_, code), n in answers.items() if code == lang),
            }
            for lang in languages
        ],
        "topics": _ranked(_summed(answers, 0), "item", "answers"),
        "emergencies": {
            "total": sum(totals[EMERGENCY].values()),
            "by_item": _ranked(_summed(totals[EMERGENCY], 0), "item", "shown"),
        },
        "handoffs": [
            {"municipality": name, "requested": totals[HANDOFF_REQUESTED][name], "booked": totals[HANDOFF_BOOKED][name]}
            for name in sorted(set(totals[HANDOFF_REQUESTED]) | set(totals[HANDOFF_BOOKED]))
        ],
    }


def _summed(counts: Counter, part: int) -> dict[str, int]:
    summed: Counter = Counter()
    for key, n in counts.items():
        summed[key[part]] += n
    return dict(summed)


def _ranked(counts: dict[str, int], name: str, field: str) -> list[dict[str, Any]]:
    return [{name: key, field: n} for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def as_csv(summary: dict[str, Any]) -> str:
    """The summary as one table a spreadsheet opens: one row per figure (CSV_FIELDS)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    month = summary["month"]
    writer.writerow([month, "samtal", "", "", "", "", summary["conversations"]["total"]])
    for channel, n in sorted(summary["conversations"]["by_channel"].items()):
        writer.writerow([month, "samtal", channel, "", "", "", n])
    for lang in summary["languages"]:
        writer.writerow([month, "samtal", "", lang["language"], "", "", lang["conversations"]])
        writer.writerow([month, "svar", "", lang["language"], "", "", lang["answers"]])
    for topic in summary["topics"]:
        writer.writerow([month, "svar", "", "", topic["item"], "", topic["answers"]])
    for shown in summary["emergencies"]["by_item"]:
        writer.writerow([month, "akut svar", "", "", shown["item"], "", shown["shown"]])
    for handoff in summary["handoffs"]:
        writer.writerow([month, "hälsosamtal begärda", "", "", "", handoff["municipality"], handoff["requested"]])
        writer.writerow([month, "hälsosamtal bokade", "", "", "", handoff["municipality"], handoff["booked"]])
    return out.getvalue()
