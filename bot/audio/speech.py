"""Text-to-speech engines: Google's (gTTS, needs the network) and espeak-ng (offline, Debian).

Neither speaks Tigrinya or Somali: for those languages the source is human recordings
(see `bot.audio.library`). Each engine writes one audio file in whatever format it produces; `bot.audio.library`
converts and normalises it for the channels.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol

from gtts import gTTS
from gtts.tts import gTTSError

from bot.languages import ESPEAK, GTTS, spoken_by

LEARNER_WORDS_PER_MINUTE = 145  # espeak-ng's default (175) is fast for people learning the language


class SpeechError(Exception):
    """The engine could not produce audio (no network, unknown voice, …)."""


class SpeechEngine(Protocol):
    name: str
    languages: frozenset[str]

    def synthesize(self, text: str, lang: str, target: Path) -> Path:
        """Writes audio for `text` next to `target` (any format ffmpeg reads); returns the file."""


class GoogleSpeech:
    """Google Translate's voices through gTTS: natural Swedish and Arabic, when online."""

    name = GTTS
    languages = spoken_by(GTTS)

    def __init__(self, timeout: float = 10) -> None:
        self._timeout = timeout

    def synthesize(self, text: str, lang: str, target: Path) -> Path:
        path = target.with_suffix(".mp3")
        try:
            gTTS(text, lang=lang, timeout=self._timeout).save(str(path))
        except (gTTSError, OSError) as error:
            raise SpeechError(f"gTTS could not speak {lang}: {error}") from error
        return path


class EspeakSpeech:
    """espeak-ng: robotic but offline, always available, and what the tests use."""

    name = ESPEAK
    languages = spoken_by(ESPEAK)

    def synthesize(self, text: str, lang: str, target: Path) -> Path:
        path = target.with_suffix(".wav")
        command = ["espeak-ng", "-v", lang, "-s", str(LEARNER_WORDS_PER_MINUTE), "-w", str(path), "--stdin"]
        result = subprocess.run(command, input=text.encode(), capture_output=True, check=False)
        if result.returncode != 0 or not path.exists():
            raise SpeechError(f"espeak-ng could not speak {lang}: {result.stderr.decode(errors='replace')[:200]}")
        return path


def engines(setting: str) -> list[SpeechEngine]:
    """The engines to try, best first, for a `HALSOLOTSEN_TTS` setting."""
    choices = {"auto": [GoogleSpeech(), EspeakSpeech()], "espeak": [EspeakSpeech()], "gtts": [GoogleSpeech()]}
    if setting not in choices:
        raise ValueError(f"HALSOLOTSEN_TTS must be one of {', '.join(choices)}, not {setting!r}")
    return choices[setting]
