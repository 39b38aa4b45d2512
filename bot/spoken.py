"""Adds to each message the URLs of its audio, so every channel can play what it shows.

The actions (answers from Rasa) and the channels (what they say on their own, e.g. "try again
soon") both send messages made by `bot.replies`; both attach audio the same way, here.
"""

from __future__ import annotations

from functools import lru_cache

from bot.audio import AudioIndex
from bot.replies import Message
from bot.settings import AUDIO_DIR, PUBLIC_URL


@lru_cache(maxsize=1)
def audio_index() -> AudioIndex:
    return AudioIndex(AUDIO_DIR, PUBLIC_URL)


def with_audio(messages: list[Message], index: AudioIndex | None = None) -> list[Message]:
    """Each message with `custom.audio` (MP3) and `custom.voice` (OGG/Opus) when its exact text has audio."""
    index = index or audio_index()
    return [
        {**message, "custom": {**message["custom"], **index.urls(message["custom"]["lang"], message["text"])}}
        for message in messages
    ]
