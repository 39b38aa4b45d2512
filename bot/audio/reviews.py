"""Who recorded the take waiting for approval, and who approved the recording served now.

The four-eyes rule of the recording page lives here, in the database every web server replica
shares: a take goes live only when someone other than its recorder approves it. The files
themselves are moved by bot/audio/recordings.py; the page's routes (bot/web/recording.py) call
both, one change at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import RecordingReview, utcnow
from bot.settings import DATABASE_URL
from bot.storage.database import transaction


class ReviewError(ValueError):
    """The approval or undo is not possible: `code` for the page, the message for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class State:
    """One text's review state, as the recording page shows it."""

    pending_by: str | None
    approved_by: str | None
    undoable: bool


def states(lang: str, url: str = DATABASE_URL) -> dict[str, State]:
    """Per text id of `lang`: its take under review and whether its recording can be undone."""
    with transaction(url) as session:
        rows = session.scalars(select(RecordingReview).where(RecordingReview.lang == lang))
        return {row.audio_id: State(row.pending_by, row.approved_by, row.undoable) for row in rows}


def _row(session: Session, lang: str, audio_id: str) -> RecordingReview:
    row = session.get(RecordingReview, (lang, audio_id))
    if row is None:
        row = RecordingReview(lang=lang, audio_id=audio_id, undoable=False)
        session.add(row)
    return row


def proposed(lang: str, audio_id: str, username: str, url: str = DATABASE_URL) -> None:
    """`username` recorded the take now under review (replacing an earlier take's recorder)."""
    with transaction(url) as session:
        row = _row(session, lang, audio_id)
        row.pending_by, row.pending_at = username, utcnow()


def check_approval(lang: str, audio_id: str, username: str, url: str = DATABASE_URL) -> None:
    """Raises ReviewError unless there is a take under review that `username` did not record."""
    with transaction(url) as session:
        row = session.get(RecordingReview, (lang, audio_id))
        if row is None or row.pending_by is None:
            raise ReviewError("nothing_to_approve", "There is no recording waiting for approval.")
        if row.pending_by == username:
            raise ReviewError("own_recording", "Someone else must approve your recording.")


def approved(lang: str, audio_id: str, username: str, url: str = DATABASE_URL) -> None:
    """The take is served now, approved by `username`; what was served before can be brought back."""
    with transaction(url) as session:
        row = _row(session, lang, audio_id)
        row.pending_by, row.pending_at = None, None
        row.approved_by, row.approved_at, row.undoable = username, utcnow(), True


def check_undo(lang: str, audio_id: str, url: str = DATABASE_URL) -> None:
    with transaction(url) as session:
        row = session.get(RecordingReview, (lang, audio_id))
        if row is None or not row.undoable:
            raise ReviewError("nothing_to_undo", "There is no approved recording to undo.")


def undone(lang: str, audio_id: str, url: str = DATABASE_URL) -> None:
    """The audio before the last approval is back; undo once, not further back."""
    with transaction(url) as session:
        _row(session, lang, audio_id).undoable = False
