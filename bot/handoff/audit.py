"""The audit log: every view and change of a participant's request, by whom and when.

Kept in the database (not the server log), without message contents, so a data protection
officer can answer "who saw my data" without anyone reading conversations; for
AUDIT_RETENTION_DAYS, after which the retention job (`python -m bot forget`) deletes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select

from bot.handoff.models import AuditEntry, utcnow
from bot.settings import AUDIT_RETENTION_DAYS, DATABASE_URL
from bot.storage.database import transaction


def write(actor: str, action: str, request_id: int | None, url: str = DATABASE_URL, subject: str | None = None) -> None:
    """`subject` names what else was changed, by id only (a recording: "<language>/<text id>")."""
    with transaction(url) as session:
        session.add(AuditEntry(actor=actor, action=action, request_id=request_id, subject=subject))


# The coordinator page refreshes every few seconds; one "looked at it" per window says as much
# as a row per refresh, and keeps the log readable.
LOOK_WINDOW = dt.timedelta(minutes=10)


def write_look(actor: str, action: str, request_id: int | None, url: str = DATABASE_URL) -> None:
    """Writes a list or view, unless the same person's same look is already logged within the window."""
    with transaction(url) as session:
        recent = session.scalar(
            select(AuditEntry.id)
            .where(
                AuditEntry.actor == actor,
                AuditEntry.action == action,
                AuditEntry.request_id.is_(None) if request_id is None else AuditEntry.request_id == request_id,
                AuditEntry.at > utcnow() - LOOK_WINDOW,
            )
            .limit(1)
        )
        if recent is None:
            session.add(AuditEntry(actor=actor, action=action, request_id=request_id))


def entries(request_id: int | None = None, url: str = DATABASE_URL) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if request_id is not None:
        query = query.where(AuditEntry.request_id == request_id)
    with transaction(url) as session:
        return list(session.scalars(query))


def forget_old(days: int = AUDIT_RETENTION_DAYS, url: str = DATABASE_URL) -> int:
    """Retention: deletes the entries older than `days`; returns how many."""
    with transaction(url) as session:
        return session.execute(delete(AuditEntry).where(AuditEntry.at < utcnow() - dt.timedelta(days=days))).rowcount
