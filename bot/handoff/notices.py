"""The coordinators' Telegram group notices: what they say, and which ones to delete.

A notice tells the group that a new request came in, in which language and municipality, and
where to open it; never a name, phone number, message or request number, so nothing in the group
points to a person. Even so, the bot deletes each notice when its request is deleted (the
participant's /radera, or retention: participants.delete_all and forget_old leave the notice
without a request) and in any case after GROUP_NOTICE_HOURS, well inside the 48 hours Telegram
lets a bot delete its own messages. The Telegram front end (bot/telegram/relay.py) posts and
deletes them; the database keeps the message ids in between, for every process to see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update

from bot.handoff.models import GroupNotice, HandoffRequest, utcnow
from bot.languages import swedish_name
from bot.settings import DATABASE_URL, GROUP_NOTICE_HOURS
from bot.storage.database import transaction

MAX_MUNICIPALITY_CHARS = 60  # what the group reads of the municipality, whatever was stored


def text(request: dict[str, Any], public_url: str) -> str:
    """What the coordinators' group reads: a new request, its language and municipality, and where to open it."""
    interpreter = " Tolk behövs." if request["interpreter"] else ""
    municipality = request["municipality"][:MAX_MUNICIPALITY_CHARS]
    return (
        f"Ny förfrågan på {swedish_name(request['language'])} i {municipality}.{interpreter}\n"
        f"Öppna koordinatorsidan: {public_url.rstrip('/')}/koordinator/"
    )


def sent(request_id: int, chat_id: int | None, message_id: int | None, url: str = DATABASE_URL) -> None:
    """The group has been told about the request (or Telegram refused the notice: it is not tried
    again, so one bad request never holds up the next); keeps the message id for deleting it."""
    with transaction(url) as session:
        session.execute(update(HandoffRequest).where(HandoffRequest.id == request_id).values(notified=True))
        if chat_id is not None and message_id is not None:
            session.add(GroupNotice(request_id=request_id, chat_id=chat_id, message_id=message_id))


@dataclass(frozen=True)
class Notice:
    id: int
    chat_id: int
    message_id: int


def due(hours: float = GROUP_NOTICE_HOURS, url: str = DATABASE_URL) -> list[Notice]:
    """Notices to delete now: their request is gone, or they are `hours` old."""
    cutoff = utcnow() - dt.timedelta(hours=hours)
    query = select(GroupNotice).where(or_(GroupNotice.request_id.is_(None), GroupNotice.sent_at < cutoff))
    with transaction(url) as session:
        return [Notice(row.id, row.chat_id, row.message_id) for row in session.scalars(query)]


def forget(notice_ids: list[int], url: str = DATABASE_URL) -> None:
    """The notices are deleted from Telegram (or cannot be any more)."""
    with transaction(url) as session:
        session.execute(delete(GroupNotice).where(GroupNotice.id.in_(notice_ids)))
