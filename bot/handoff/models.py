"""The hand-off tables. What a participant consented to, and nothing else: no health details.

A request is keyed by the conversation id Rasa uses (for Telegram an HMAC of the chat, never the
chat id); the Telegram chat id needed to reach the participant (`reply_address`) is added by the
front end only after they confirmed the request. The audit log names requests by number only, so
it can outlive them without keeping personal data.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Coordinator(Base):
    """A person who handles requests (role coordinator) or records audio (role recorder)."""

    __tablename__ = "coordinators"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default="coordinator")
    # Comma-separated municipality names this coordinator serves; "*" for every municipality.
    municipalities = Column(Text, nullable=False, default="")
    # Comma-separated language codes a recorder may record and approve ("*" for all); coordinators
    # may in every language. Empty: a recorder who can record nothing until an administrator says.
    languages = Column(Text, nullable=False, default="")
    # Wrong passwords in a row since the last login: shown by `bot account list`, never a lock.
    failed_logins = Column(Integer, nullable=False, default=0)
    disabled = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class LoginSession(Base):
    """A browser login. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "login_sessions"
    token_hash = Column(String(64), primary_key=True)
    coordinator_id = Column(Integer, ForeignKey("coordinators.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    # The last request the person made on purpose; the page's background refreshing leaves it.
    last_active_at = Column(DateTime, nullable=False, default=utcnow)
    coordinator = relationship(Coordinator, lazy="joined")


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"
    id = Column(Integer, primary_key=True)
    sender = Column(String(128), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    reply_address = Column(String(64))
    name = Column(String(100), nullable=False)
    language = Column(String(8), nullable=False)
    interpreter = Column(Boolean, nullable=False)
    municipality = Column(String(100), nullable=False, index=True)
    times = Column(String(200), nullable=False)
    contact = Column(String(8), nullable=False)  # "chat" or "phone"
    phone = Column(String(32))
    note = Column(String(500))
    # new → claimed → booked / closed
    status = Column(String(16), nullable=False, default="new", index=True)
    # True while a coordinator has the conversation: the bot stays quiet, texts go to the coordinator.
    live = Column(Boolean, nullable=False, default=False)
    claimed_by = Column(Integer, ForeignKey("coordinators.id", ondelete="SET NULL"))
    booked_at = Column(DateTime)
    notified = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    coordinator = relationship(Coordinator, lazy="joined")
    messages = relationship("HandoffMessage", cascade="all, delete-orphan", order_by="HandoffMessage.id")
    proposals = relationship("TimeProposal", cascade="all, delete-orphan", order_by="TimeProposal.starts_at")

    @property
    def reference(self) -> str:
        """What both sides call the request: short, and no personal data in it."""
        return f"H-{self.id}"


class GroupNotice(Base):
    """A message the bot posted in the coordinators' Telegram group about a new request, kept so
    the bot can delete it (bot/handoff/notices.py). `request_id` becomes NULL when the request is
    deleted (by the participant, or at retention): then the notice goes too."""

    __tablename__ = "group_notices"
    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, index=True)
    chat_id = Column(BigInteger, nullable=False)
    message_id = Column(BigInteger, nullable=False)
    sent_at = Column(DateTime, nullable=False, default=utcnow)


class HandoffMessage(Base):
    """One line of the conversation between a participant and a coordinator.

    `author` is participant, coordinator or system (what the bot says about the request, e.g.
    times proposed). Messages to the participant wait here until a channel delivers them.
    """

    __tablename__ = "handoff_messages"
    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    # For messages to the participant: the proposals to show as buttons (comma-separated ids).
    proposal_ids = Column(String(64))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime)


class TimeProposal(Base):
    __tablename__ = "time_proposals"
    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_at = Column(DateTime, nullable=False)  # local time in Sweden, as the coordinator wrote it
    accepted = Column(Boolean, nullable=False, default=False)


class AuditEntry(Base):
    """Who viewed or changed which request or recording, when. Never message contents or personal data."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    request_id = Column(Integer)
    # What else the action was about, by id only: for recordings "<language>/<text id>".
    subject = Column(String(100))


class RecordingReview(Base):
    """One text's recording under review: who recorded the take that waits for a second person
    (`pending_by`; the file is in the language's audio/review/ folder), and who approved the one
    served now and whether the audio before it can be brought back (`undoable`; bot/audio/recordings.py)."""

    __tablename__ = "recording_reviews"
    lang = Column(String(8), primary_key=True)
    audio_id = Column(String(64), primary_key=True)
    pending_by = Column(String(64))
    pending_at = Column(DateTime)
    approved_by = Column(String(64))
    approved_at = Column(DateTime)
    undoable = Column(Boolean, nullable=False, default=False)


class ContentEdit(Base):
    """One save of content YAML from the browser (bot/content/editing.py): who, when, which item,
    and every file's whole text before and after (`files`, JSON), so it can be shown and undone.
    The YAML stays the source of truth; this is its history, not a copy the assistant reads."""

    __tablename__ = "content_edits"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    who = Column(String(64), nullable=False)
    lang = Column(String(8), nullable=False)
    path = Column(String(200), nullable=False)  # the main file, relative to the content folder
    item_id = Column(String(64), nullable=False, index=True)
    summary = Column(String(200), nullable=False)
    files = Column(Text, nullable=False)  # [{"path", "before", "after"}, ...]
    undone = Column(Boolean, nullable=False, default=False)
