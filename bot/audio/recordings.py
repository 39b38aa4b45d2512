"""Human recordings made in the browser: which texts still need one, a new take waiting for a
second person, and making it that text's audio once approved (and undoing that).

Tigrinya and Somali have no speech engine, so a native-language communicator's voice is the only
audio they get; Swedish and Arabic recordings replace the synthetic voice. Because a recording is
what participants hear, even for the emergency answer, one person's take is never served alone:

- `propose` stores the take in `content/<lang>/audio/review/<id>.ogg`, which nothing serves,
  with the exact text it speaks in `<id>.txt` beside it; the text keeps its earlier audio (a
  recording or the synthetic voice). When the text is later corrected, the recording no longer
  says it and is not served (`library.recording_for`);
- `approve` (by another person: bot/web/recording.py checks who) makes it the served recording,
  `content/<lang>/audio/<id>.ogg`, exactly where a coordinator would copy one by hand, so
  `python -m bot audio` and every other replica treat both alike; the recording it replaces is
  kept in `audio/previous/`;
- `undo` brings back what was served before the last approval.

Every ffmpeg run has a time limit (settings.FFMPEG_SECONDS): a hung conversion is an error.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Collection
from pathlib import Path

from bot.audio import library
from bot.audio.library import RECORDING_SUFFIXES, SPOKEN_TEXT_SUFFIX, Speakable
from bot.content.store import Content
from bot.settings import FFMPEG_SECONDS

MAX_BYTES = 5 * 1024 * 1024  # about 20 minutes of browser Opus: far more than the longest answer
MIN_SECONDS = 0.5  # a shorter take is a slip of the finger, not a reading
# What browsers record (MediaRecorder: webm in Chromium and Firefox, mp4 in Safari) and the usual
# audio files, each with the one ffmpeg demuxer allowed to read it. Naming the demuxer keeps ffmpeg
# from guessing, so an upload cannot pass as a playlist or another format that opens further files.
DEMUXERS = {
    "audio/webm": "matroska",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/mpeg": "mp3",
    "audio/mp4": "mov",
}
# Stored as Ogg/Opus: a clean file with its real duration (a browser's webm has none), small
# enough to keep in the content repository, and at 64 kbit/s far above the 32 kbit/s it is served at.
STORED_SUFFIX = ".ogg"
STORED_CODEC = ["-ac", "1", "-c:a", "libopus", "-b:a", "64k", "-f", "ogg"]
MISSING, RECORDED = "missing", "recorded"  # as library.sources names them
REVIEW, PREVIOUS = "review", "previous"  # sub-folders of a language's audio folder


class NotAudioError(ValueError):
    """The upload is not audio ffmpeg can decode with the demuxer its content type names."""


class TooShortError(ValueError):
    """The upload decodes but is shorter than MIN_SECONDS."""


class TextChangedError(ValueError):
    """The take speaks an earlier version of its text: served, it would say something else."""


class TooSlowError(RuntimeError):
    """ffmpeg did not finish within FFMPEG_SECONDS (a hung or crafted upload): it was stopped."""


def wanted(
    content: Content, out: Path, lang: str, also: Collection[str] = ()
) -> tuple[list[tuple[Speakable, str]], int]:
    """The texts of `lang` without a human recording (and the recorded ones whose ids are in
    `also`: under review or undoable), those with no audio at all first (in content order), then
    those with a synthetic voice; and how many are recorded already. The same view of the manifest
    as `python -m bot audio --missing` (library.sources)."""
    found = [(item, source) for item, source in library.sources(content, out) if item.lang == lang]
    waiting = [pair for pair in found if pair[1] != RECORDED or pair[0].audio_id in also]
    return sorted(waiting, key=lambda pair: pair[1] != MISSING), len(found) - len(waiting)


def speakable(content: Content, lang: str, audio_id: str) -> Speakable | None:
    """The text a recording with this id would speak; None for anything else (which also keeps
    every path we write inside the language's audio folder)."""
    return next((s for s in library.speakables(content) if (s.lang, s.audio_id) == (lang, audio_id)), None)


def _ffmpeg(command: list[str]) -> subprocess.CompletedProcess:
    """Runs ffmpeg or ffprobe, stopped (and TooSlowError) after FFMPEG_SECONDS."""
    try:
        return subprocess.run(command, capture_output=True, check=False, text=True, timeout=FFMPEG_SECONDS)
    except subprocess.TimeoutExpired:
        raise TooSlowError(command[0]) from None


def _convert(upload: Path, demuxer: str, target: Path) -> None:
    """Decodes the upload's first audio stream and encodes it as the stored Ogg/Opus file."""
    command = ["ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", demuxer, "-i", str(upload)]
    command += ["-map", "0:a:0", "-vn", *STORED_CODEC, "-y", str(target)]
    if _ffmpeg(command).returncode != 0:
        raise NotAudioError(demuxer)


def _seconds(path: Path) -> float:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)]
    try:
        return float(_ffmpeg(command).stdout.strip())
    except ValueError:
        raise NotAudioError("no duration") from None


def _folder(recordings: Path, item: Speakable, sub: str = "") -> Path:
    return recordings / item.lang / "audio" / sub if sub else recordings / item.lang / "audio"


def review_take(recordings: Path, item: Speakable) -> Path | None:
    """The take waiting for a second person's approval, if there is one."""
    path = _folder(recordings, item, REVIEW) / f"{item.audio_id}{STORED_SUFFIX}"
    return path if path.exists() else None


def propose(item: Speakable, data: bytes, content_type: str, recordings: Path) -> None:
    """Converts the upload and stores it as the take under review (replacing an earlier take
    under review); what participants hear does not change. Blocking: run it in a worker thread.
    Nothing is written unless the upload is real audio of at least MIN_SECONDS."""
    # The work folder sits in the language's folder, on the same file system as the review folder,
    # so the finished file appears under its name in one rename: nobody listens to half a file.
    with tempfile.TemporaryDirectory(prefix=".recording-", dir=recordings / item.lang) as work:
        upload, converted = Path(work) / "upload", Path(work) / f"converted{STORED_SUFFIX}"
        upload.write_bytes(data)
        _convert(upload, DEMUXERS[content_type], converted)
        if _seconds(converted) < MIN_SECONDS:
            raise TooShortError(f"{item.lang}/{item.audio_id}")
        folder = _folder(recordings, item, REVIEW)
        folder.mkdir(parents=True, exist_ok=True)
        spoken = Path(work) / "spoken"
        spoken.write_text(item.text, encoding="utf-8")
        spoken.replace(folder / f"{item.audio_id}{SPOKEN_TEXT_SUFFIX}")
        converted.replace(folder / f"{item.audio_id}{STORED_SUFFIX}")


def _served_files(folder: Path, item: Speakable) -> list[Path]:
    """A text's recording files in one folder, with the file that says which text they speak."""
    return [
        folder / f"{item.audio_id}{suffix}"
        for suffix in (*RECORDING_SUFFIXES, SPOKEN_TEXT_SUFFIX)
        if (folder / f"{item.audio_id}{suffix}").exists()
    ]


def _move_all(files: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        path.replace(folder / path.name)


def approve(content: Content, item: Speakable, recordings: Path, out: Path) -> bool:
    """Makes the take under review the served recording; the recording it replaces (if any) is
    kept in previous/ for `undo`. Then builds this one text's audio. Blocking. True when the
    text is now served from the new recording. TextChangedError, and nothing changes, when the
    text was corrected after the take was recorded."""
    take = review_take(recordings, item)
    if take is None:
        raise FileNotFoundError(f"{item.lang}/{item.audio_id}")
    if not library.speaks(take, item.text):
        raise TextChangedError(f"{item.lang}/{item.audio_id}")
    live, kept = _folder(recordings, item), _folder(recordings, item, PREVIOUS)
    for older in _served_files(kept, item):
        older.unlink()
    _move_all(_served_files(live, item), kept)
    _move_all(_served_files(_folder(recordings, item, REVIEW), item), live)
    library.build(content, (), recordings, out, only={(item.lang, item.audio_id)})
    return library.source(out, item) == RECORDED


def undo(content: Content, item: Speakable, recordings: Path, out: Path) -> str:
    """Serves again what was served before the last approval: the earlier recording if there
    was one, else the synthetic voice or nothing. Blocking. Where the text's audio comes from now."""
    live = _folder(recordings, item)
    for path in _served_files(live, item):
        path.unlink()
    _move_all(_served_files(_folder(recordings, item, PREVIOUS), item), live)
    library.build(content, (), recordings, out, only={(item.lang, item.audio_id)})
    return library.source(out, item)
