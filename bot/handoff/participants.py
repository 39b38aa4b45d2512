"""The participant's side of a hand-off: their request, their messages to a person, their choice
of time, and deleting all of it. Called by the action server, the REST channel and the channels.

Every function is one short transaction, so a request is on disk the moment the participant
confirms it, whichever process stops next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from bot import metrics
from bot.handoff.models import GroupNotice, HandoffMessage, HandoffRequest, TimeProposal, utcnow
from bot.insights import usage
from bot.settings import DATABASE_URL
from bot.storage.database import engine, transaction

OPEN = ("new", "claimed")
# A message's metadata from the web server when its client address is over its limit of new
# requests (bot/web/limits.py): the form's end then saves nothing.
NO_NEW_REQUEST = "no_new_request"
TO_PARTICIPANT = ("coordinator", "proposal")
RETURNED_TO_BOT = "returned_to_bot"
BOOKED = "booked"


@dataclass(frozen=True)
class RequestForm:
    """What the participant agreed to give, from the hand-off form."""

    sender: str
    channel: str
    name: str
    language: str
    interpreter: bool
    municipality: str
    times: str
    contact: str
    phone: str | None
    note: str | None


def channel_of(sender: str) -> str:
    """Which channel a conversation id belongs to, from the prefix each channel gives it."""
    return {"tg-": "telegram", "web-": "web"}.get(sender[: 4 if sender.startswith("web-") else 3], "rest")


def open_reference(sender: str, url: str = DATABASE_URL) -> str | None:
    with transaction(url) as session:
        row = session.scalar(
            select(HandoffRequest)
            .where(HandoffRequest.sender == sender, HandoffRequest.status.in_(OPEN))
            .order_by(HandoffRequest.id.desc())
        )
        return row.reference if row else None


def save(form: RequestForm, url: str = DATABASE_URL) -> str:
    """Stores the request and returns its reference. Sending the same confirmation twice (a retry
    after a crash) updates the open request instead of making a second one."""
    with transaction(url) as session:
        row = session.scalar(
            select(HandoffRequest).where(HandoffRequest.sender == form.sender, HandoffRequest.status.in_(OPEN))
        )
        opened = row is None
        if opened:
            row = HandoffRequest(sender=form.sender)
            session.add(row)
        for field in fields(form):
            setattr(row, field.name, getattr(form, field.name))
        session.flush()
        reference = row.reference
        if opened:
            usage.add(session, usage.HANDOFF_REQUESTED, row.channel, row.language, municipality=row.municipality)
    if opened:
        metrics.handoff("opened")
    return reference


def set_reply_address(sender: str, address: str, url: str = DATABASE_URL) -> None:
    """Where a channel reaches this participant (Telegram: the chat), once they asked for contact."""
    with transaction(url) as session:
        session.execute(update(HandoffRequest).where(HandoffRequest.sender == sender).values(reply_address=address))


LIVE_REQUEST = (
    select(HandoffRequest.id)
    .where(HandoffRequest.sender == bindparam("sender"), HandoffRequest.live.is_(True))
    .limit(1)
)


def live_request(sender: str, url: str = DATABASE_URL) -> int | None:
    """The request whose coordinator has this conversation now, if any.

    Asked for every message a participant sends, so it is one prepared query on a plain
    connection: an ORM session around it was about 12 % of the Rasa server's time under load.
    """
    with engine(url).connect() as connection:
        return connection.execute(LIVE_REQUEST, {"sender": sender}).scalar()


def add_message(request_id: int, text: str, url: str = DATABASE_URL) -> None:
    with transaction(url) as session:
        session.add(HandoffMessage(request_id=request_id, author="participant", text=text))


def return_to_bot(sender: str, url: str = DATABASE_URL) -> bool:
    """The participant goes back to the bot; their coordinator sees a note. True if they were live."""
    with transaction(url) as session:
        rows = session.scalars(
            select(HandoffRequest).where(HandoffRequest.sender == sender, HandoffRequest.live.is_(True))
        ).all()
        for row in rows:
            row.live = False
            session.add(HandoffMessage(request_id=row.id, author="system", text=RETURNED_TO_BOT))
        return bool(rows)


def accept(sender: str, proposal_id: int, url: str = DATABASE_URL) -> dt.datetime | None:
    """Books the proposed time if it was proposed to this participant and nothing is booked yet."""
    with transaction(url) as session:
        proposal = session.get(TimeProposal, proposal_id)
        request = session.get(HandoffRequest, proposal.request_id) if proposal else None
        if request is None or request.sender != sender or request.status not in OPEN:
            return None
        proposal.accepted = True
        request.status, request.booked_at = "booked", proposal.starts_at
        usage.add(session, usage.HANDOFF_BOOKED, request.channel, request.language, municipality=request.municipality)
        session.add(HandoffMessage(request_id=request.id, author="system", text=BOOKED))
        booked = proposal.starts_at
    metrics.handoff("booked")
    return booked


@dataclass(frozen=True)
class Outgoing:
    """A message from a coordinator (or their proposed times) waiting for a channel to deliver it."""

    id: int
    sender: str
    reply_address: str | None
    language: str
    author: str
    text: str
    proposals: tuple[tuple[int, dt.datetime], ...]


def undelivered(channel: str, sender: str | None = None, url: str = DATABASE_URL) -> list[Outgoing]:
    query = (
        select(HandoffMessage, HandoffRequest)
        .join(HandoffRequest, HandoffMessage.request_id == HandoffRequest.id)
        .where(
            HandoffRequest.channel == channel,
            HandoffMessage.author.in_(TO_PARTICIPANT),
            HandoffMessage.delivered_at.is_(None),
        )
        .order_by(HandoffMessage.id)
    )
    if sender is not None:
        query = query.where(HandoffRequest.sender == sender)
    with transaction(url) as session:
        found = []
        for message, request in session.execute(query):
            ids = [int(i) for i in (message.proposal_ids or "").split(",") if i]
            proposals = tuple((p.id, p.starts_at) for p in request.proposals if p.id in ids)
            found.append(
                Outgoing(
                    message.id,
                    request.sender,
                    request.reply_address,
                    request.language,
                    message.author,
                    message.text,
                    proposals,
                )
            )
        return found


def mark_delivered(message_ids: list[int], url: str = DATABASE_URL) -> None:
    with transaction(url) as session:
        session.execute(update(HandoffMessage).where(HandoffMessage.id.in_(message_ids)).values(delivered_at=utcnow()))


def count(sender: str, url: str = DATABASE_URL) -> int:
    """How many hand-off requests are stored for this participant (for "see my data")."""
    with transaction(url) as session:
        return session.scalar(select(func.count()).select_from(HandoffRequest).where(HandoffRequest.sender == sender))


def _delete(session: Session, ids: list[int]) -> int:
    if ids:
        # The group's notices of these requests are deleted from Telegram by the front end (notices.due).
        session.execute(update(GroupNotice).where(GroupNotice.request_id.in_(ids)).values(request_id=None))
        session.execute(delete(HandoffMessage).where(HandoffMessage.request_id.in_(ids)))
        session.execute(delete(TimeProposal).where(TimeProposal.request_id.in_(ids)))
        session.execute(delete(HandoffRequest).where(HandoffRequest.id.in_(ids)))
    return len(ids)


def delete_all(sender: str, url: str = DATABASE_URL) -> int:
    """Deletes every request of this participant with its messages and times; returns how many."""
    with transaction(url) as session:
        return _delete(session, list(session.scalars(select(HandoffRequest.id).where(HandoffRequest.sender == sender))))


def forget_old(days: int, url: str = DATABASE_URL) -> int:
    """Retention: deletes requests `days` after the last contact, as participants are told
    (ui.yml handoff_consent): the request's last change, the last message either way and the
    booked time must all be that long past."""
    cutoff = utcnow() - dt.timedelta(days=days)
    recent_message = select(HandoffMessage.request_id).where(HandoffMessage.created_at >= cutoff)
    old = select(HandoffRequest.id).where(
        HandoffRequest.updated_at < cutoff,
        HandoffRequest.booked_at.is_(None) | (HandoffRequest.booked_at < cutoff),
        HandoffRequest.id.not_in(recent_message),
    )
    with transaction(url) as session:
        return _delete(session, list(session.scalars(old)))
