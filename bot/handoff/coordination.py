"""The coordinator's side of a hand-off: see the requests of their municipalities, claim one,
write to the participant, propose times, mark it booked or closed. Every view and change is
written to the audit log; a request outside the coordinator's municipalities does not exist for
them (NotFoundError, so its existence does not leak either).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import metrics
from bot.accounts.store import Account
from bot.handoff import audit
from bot.handoff.models import HandoffMessage, HandoffRequest, TimeProposal
from bot.handoff.participants import OPEN
from bot.insights import usage
from bot.languages import swedish_name
from bot.settings import DATABASE_URL
from bot.storage.database import transaction

MAX_MESSAGE_CHARS = 2000
MAX_PROPOSALS = 5
FINAL_STATUSES = ("booked", "closed")


class NotFoundError(LookupError):
    """No such request for this coordinator."""


class RefusedError(ValueError):
    """The change is not possible now; the message says why, for the coordinator."""


def _summary(row: HandoffRequest) -> dict[str, Any]:
    return {
        "id": row.id,
        "reference": row.reference,
        "status": row.status,
        "live": row.live,
        "language": row.language,
        "language_name": swedish_name(row.language),
        "interpreter": row.interpreter,
        "municipality": row.municipality,
        "times": row.times,
        "contact": row.contact,
        "channel": row.channel,
        "claimed_by": row.coordinator.username if row.coordinator else None,
        "created_at": row.created_at.isoformat(timespec="seconds") + "Z",
        "booked_at": row.booked_at.isoformat(timespec="minutes") if row.booked_at else None,
    }


def _detail(row: HandoffRequest) -> dict[str, Any]:
    return {
        **_summary(row),
        "name": row.name,
        "phone": row.phone,
        "note": row.note,
        "messages": [
            {"id": m.id, "author": m.author, "text": m.text, "at": m.created_at.isoformat(timespec="seconds") + "Z"}
            for m in row.messages
        ],
        "proposals": [
            {"id": p.id, "starts_at": p.starts_at.isoformat(timespec="minutes"), "accepted": p.accepted}
            for p in row.proposals
        ],
    }


def listing(account: Account, url: str = DATABASE_URL) -> list[dict[str, Any]]:
    """Open requests first (oldest first: they have waited longest), then booked and closed."""
    with transaction(url) as session:
        rows = session.scalars(select(HandoffRequest).order_by(HandoffRequest.created_at)).unique().all()
        mine = [row for row in rows if account.serves(row.municipality)]
        mine.sort(key=lambda row: row.status not in OPEN)
        audit.write_look(account.username, "list", None, url)
        return [_summary(row) for row in mine]


def _request(session: Session, account: Account, request_id: int) -> HandoffRequest:
    row = session.get(HandoffRequest, request_id)
    if row is None or not account.serves(row.municipality):
        raise NotFoundError(request_id)
    return row


def detail(account: Account, request_id: int, url: str = DATABASE_URL) -> dict[str, Any]:
    with transaction(url) as session:
        found = _detail(_request(session, account, request_id))
    audit.write_look(account.username, "view", request_id, url)
    return found


def _mine(row: HandoffRequest, account: Account) -> None:
    if row.claimed_by != account.id:
        raise RefusedError("Ta förfrågan först.")


def claim(account: Account, request_id: int, url: str = DATABASE_URL) -> dict[str, Any]:
    with transaction(url) as session:
        row = _request(session, account, request_id)
        if row.status != "new" and row.claimed_by != account.id:
            raise RefusedError("Någon annan har redan tagit förfrågan.")
        row.status, row.claimed_by = ("claimed" if row.status == "new" else row.status), account.id
        session.flush()
        found = _detail(row)
    audit.write(account.username, "claim", request_id, url)
    return found


def write(account: Account, request_id: int, text: str, url: str = DATABASE_URL) -> dict[str, Any]:
    """A message to the participant. From now on the coordinator has the conversation (live)."""
    text = text.strip()
    if not text or len(text) > MAX_MESSAGE_CHARS:
        raise RefusedError(f"Skriv ett meddelande på högst {MAX_MESSAGE_CHARS} tecken.")
    with transaction(url) as session:
        row = _request(session, account, request_id)
        _mine(row, account)
        if row.status == "closed":
            raise RefusedError("Förfrågan är avslutad.")
        row.live = True
        row.messages.append(HandoffMessage(author="coordinator", text=text))
        session.flush()
        found = _detail(row)
    audit.write(account.username, "message", request_id, url)
    return found


def propose(account: Account, request_id: int, times: list[dt.datetime], url: str = DATABASE_URL) -> dict[str, Any]:
    """Times the participant can choose with a button; the first one chosen is booked."""
    if not 1 <= len(times) <= MAX_PROPOSALS:
        raise RefusedError(f"Föreslå 1–{MAX_PROPOSALS} tider.")
    with transaction(url) as session:
        row = _request(session, account, request_id)
        _mine(row, account)
        if row.status not in OPEN:
            raise RefusedError("Förfrågan är redan bokad eller avslutad.")
        proposals = [TimeProposal(starts_at=time) for time in sorted(times)]
        row.proposals.extend(proposals)
        session.flush()
        row.live = True
        row.messages.append(
            HandoffMessage(author="proposal", text="", proposal_ids=",".join(str(p.id) for p in proposals))
        )
        session.flush()
        found = _detail(row)
    audit.write(account.username, "propose", request_id, url)
    return found


def set_status(account: Account, request_id: int, status: str, url: str = DATABASE_URL) -> dict[str, Any]:
    """Booked (e.g. agreed on the phone) or closed. Closing gives the conversation back to the bot."""
    if status not in FINAL_STATUSES:
        raise RefusedError("Status kan bara bli bokad eller avslutad.")
    with transaction(url) as session:
        row = _request(session, account, request_id)
        _mine(row, account)
        if status == "booked" and row.status != "booked":
            usage.add(session, usage.HANDOFF_BOOKED, row.channel, row.language, municipality=row.municipality)
        row.status = status
        if status == "closed":
            row.live = False
        session.flush()
        found = _detail(row)
    audit.write(account.username, status, request_id, url)
    metrics.handoff(status)
    return found


def unnotified(url: str = DATABASE_URL) -> list[dict[str, Any]]:
    """Requests the coordinators' group has not been told about yet, oldest first."""
    query = select(HandoffRequest).where(HandoffRequest.notified.is_(False)).order_by(HandoffRequest.id)
    with transaction(url) as session:
        return [_summary(row) for row in session.scalars(query).unique()]
