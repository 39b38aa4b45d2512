"""Human recordings made in the browser: which texts still need one, and saving one so that it is
served as that text's audio straight away.

Tigrinya and Somali have no speech engine, so a native-language communicator's voice is the only
audio they get; Swedish and Arabic recordings replace the synthetic voice. A saved recording is
an ordinary file, `content/<lang>/audio/<id>.ogg`, exactly where a coordinator would copy one by
hand, so `python -m bot audio` and every other replica treat both alike.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bot.audio import library
from bot.audio.library import RECORDING_SUFFIXES, Speakable
from bot.content.store import Content

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


class NotAudioError(ValueError):
    """The upload is not audio ffmpeg can decode with the demuxer its content type names."""


class TooShortError(ValueError):
    """The upload decodes but is shorter than MIN_SECONDS."""


def wanted(content: Content, out: Path, lang: str) -> tuple[list[tuple[Speakable, str]], int]:
    """The texts of `lang` without a human recording, those with no audio at all first (in content
    order), then those with a synthetic voice; and how many are recorded already. The same view of
    the manifest as `python -m bot audio --missing` (library.sources)."""
    found = [(item, source) for item, source in library.sources(content, out) if item.lang == lang]
    waiting = [pair for pair in found if pair[1] != RECORDED]
    return sorted(waiting, key=lambda pair: pair[1] != MISSING), len(found) - len(waiting)


def speakable(content: Content, lang: str, audio_id: str) -> Speakable | None:
    """The text a recording with this id would speak; None for anything else (which also keeps
    every path we write inside the language's audio folder)."""
    return next((s for s in library.speakables(content) if (s.lang, s.audio_id) == (lang, audio_id)), None)


def _convert(upload: Path, demuxer: str, target: Path) -> None:
    """Decodes the upload's first audio stream and encodes it as the stored Ogg/Opus file."""
    command = ["ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", demuxer, "-i", str(upload)]
    command += ["-map", "0:a:0", "-vn", *STORED_CODEC, "-y", str(target)]
    if subprocess.run(command, capture_output=True, check=False).returncode != 0:
        raise NotAudioError(demuxer)


def _seconds(path: Path) -> float:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)]
    result = subprocess.run(command, capture_output=True, check=False, text=True)
    try:
        return float(result.stdout.strip())
    except ValueError:
        raise NotAudioError("no duration") from None


def save(content: Content, item: Speakable, data: bytes, content_type: str, recordings: Path, out: Path) -> bool:
    """Converts and stores the recording (replacing any earlier one, whatever its format), then
    builds this one text's audio. Blocking: run it in a worker thread. Nothing is written unless
    the upload is real audio of at least MIN_SECONDS. True when the text is now served from it."""
    language_folder = recordings / item.lang
    language_folder.mkdir(parents=True, exist_ok=True)
    # The work folder sits next to the audio folder, on the same file system, so the finished
    # file appears under its name in one rename: the audio build never reads half a file.
    with tempfile.TemporaryDirectory(prefix=".recording-", dir=language_folder) as work:
        upload, converted = Path(work) / "upload", Path(work) / f"converted{STORED_SUFFIX}"
        upload.write_bytes(data)
        _convert(upload, DEMUXERS[content_type], converted)
        if _seconds(converted) < MIN_SECONDS:
            raise TooShortError(f"{item.lang}/{item.audio_id}")
        folder = language_folder / "audio"
        folder.mkdir(exist_ok=True)
        converted.replace(folder / f"{item.audio_id}{STORED_SUFFIX}")
    for other in RECORDING_SUFFIXES:
        if other != STORED_SUFFIX:
            (folder / f"{item.audio_id}{other}").unlink(missing_ok=True)
    library.build(content, (), recordings, out, only={(item.lang, item.audio_id)})
    return library.source(out, item) == RECORDED
