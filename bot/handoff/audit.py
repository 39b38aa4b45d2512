"""The audit log: every view and change of a participant's request, by whom and when.

Kept in the database (not the server log), without message contents, so a data protection
officer can answer "who saw my data" without anyone reading conversations.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.database import transaction
from bot.handoff.models import AuditEntry
from bot.settings import DATABASE_URL


def write(actor: str, action: str, request_id: int | None, url: str = DATABASE_URL) -> None:
    with transaction(url) as session:
        session.add(AuditEntry(actor=actor, action=action, request_id=request_id))


def entries(request_id: int | None = None, url: str = DATABASE_URL) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if request_id is not None:
        query = query.where(AuditEntry.request_id == request_id)
    with transaction(url) as session:
        return list(session.scalars(query))
