"""Turns what waits for a participant (a coordinator's message, proposed times) into a chat
message in their language, the same for every channel."""

from __future__ import annotations

from bot.audio.library import AudioIndex
from bot.content import replies
from bot.content.store import Content
from bot.handoff import times
from bot.handoff.participants import Outgoing


def render(content: Content, audio: AudioIndex, waiting: Outgoing) -> replies.Message:
    if waiting.author == "proposal":
        shown = [(proposal_id, times.spoken(when, waiting.language)) for proposal_id, when in waiting.proposals]
        message = replies.proposals(content, waiting.language, shown)
    else:
        message = replies.from_coordinator(content, waiting.language, waiting.text)
    return audio.voiced([message])[0]
