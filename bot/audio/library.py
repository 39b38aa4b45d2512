"""Audio for every answer: built ahead of time, cached by exact text, served as files.

Sources, best first: a human recording of the item (`content/<lang>/audio/<id>.<ext>`), then the
first speech engine that speaks the language. Tigrinya and Somali have no engine, so their audio
is recordings only; until one exists the answer goes out as text.

Every file is named after (language, source, exact text): unchanged text is never generated
again, and changed text can never be served old audio, because its name changes too. The
manifest maps (language, exact text) to the file, so the assistant finds the audio of any
message it sends. Each answer exists as OGG/Opus (Telegram voice messages) and MP3 (browsers),
loudness-normalised so answers play at the same volume.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from bot.audio.speech import SpeechEngine, SpeechError
from bot.content import replies, ui_text
from bot.content.store import Content
from bot.languages import ESPEAK, GTTS, SOURCE_LANGUAGE
from bot.settings import FFMPEG_SECONDS

logger = logging.getLogger(__name__)

RECORDING_SUFFIXES = (".ogg", ".oga", ".opus", ".mp3", ".wav", ".m4a", ".webm")
SPOKEN_TEXT_SUFFIX = ".txt"  # beside a recording made on the recording page: the exact text it speaks
FORMATS = {
    "ogg": ["-c:a", "libopus", "-b:a", "32k", "-ar", "48000", "-application", "voip"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k", "-ar", "44100"],
}
LOUDNESS = "loudnorm=I=-16:TP=-1.5:LRA=11"
MANIFEST = "manifest.json"
BUILD_LOCK = ".build.lock"
RECORDED = "recording"
SYNTHETIC = (GTTS, ESPEAK)  # the speech engines' names, best first
PROGRESS_SECONDS = 2.0
# Interface texts that are sent as messages of their own (button labels are not).
SPOKEN_UI = frozenset(
    {
        ui_text.WELCOME,
        ui_text.MENU_TITLE,
        ui_text.FALLBACK,
        ui_text.FALLBACK_NOTHING,
        ui_text.EMPTY_MESSAGE,
        ui_text.TOO_LONG,
        ui_text.LANGUAGE_TITLE,
        ui_text.LANGUAGE_CHANGED,
        ui_text.MISSING_TRANSLATION,
        ui_text.THANKS,
        ui_text.GOODBYE,
        ui_text.BOT_CHALLENGE,
        ui_text.START,
        ui_text.NOT_TEXT,
        ui_text.BUSY,
        ui_text.TOO_FAST,
        ui_text.DATA_STORED,
        ui_text.DATA_NOTHING,
        ui_text.DATA_DELETED,
        ui_text.DATA_KEPT,
        ui_text.HANDOFF_CONSENT,
        ui_text.HANDOFF_CONSENT_NO,
        ui_text.HANDOFF_ASK_NAME,
        ui_text.HANDOFF_ASK_INTERPRETER,
        ui_text.HANDOFF_ASK_MUNICIPALITY,
        ui_text.HANDOFF_ASK_TIMES,
        ui_text.HANDOFF_ASK_CONTACT,
        ui_text.HANDOFF_ASK_PHONE,
        ui_text.HANDOFF_PHONE_INVALID,
        ui_text.HANDOFF_ASK_NOTE,
        ui_text.HANDOFF_CHOOSE,
        ui_text.HANDOFF_NOT_SENT,
        ui_text.HANDOFF_CANCELLED,
        ui_text.HANDOFF_PROPOSALS,
        ui_text.HANDOFF_NOT_BOOKABLE,
        ui_text.HANDOFF_BACK,
    }
)


@dataclass(frozen=True)
class Speakable:
    """One text the assistant sends, in one language, and the id a recording would use."""

    lang: str
    audio_id: str
    text: str


def text_key(lang: str, text: str) -> str:
    """How the assistant finds a message's audio: its language and exact text."""
    return _digest(f"{lang}\n{text}".encode())


def speakables(content: Content) -> list[Speakable]:
    """Every text the assistant sends (answers, sections, interface texts) in every language it has."""
    found = []
    for lang in content.languages():
        for node_id in list(content.section_items) + list(content.items):
            message = replies.show(content, node_id, lang)[-1]
            if message["custom"]["lang"] == lang:
                found.append(Speakable(lang, node_id, message["text"]))
        strings = content.ui if lang == SOURCE_LANGUAGE else content.ui_translations.get(lang, {})
        found += [
            Speakable(lang, f"ui.{key}", replies.ui(content, key, lang)) for key in sorted(strings) if key in SPOKEN_UI
        ]
    return found


def recording_for(recordings: Path, item: Speakable) -> Path | None:
    """The human recording of this text, if it still says this text.

    A recording made on the recording page has the text it speaks beside it (`<id>.txt`). Once
    that text is corrected (a phone number, a rule), the recording says something else, so it is
    not used: the text falls back to the synthetic voice, or to no audio, and the recording page
    asks for a new take. A recording copied in by hand has no such file and is trusted."""
    folder = recordings / item.lang / "audio"
    found = next(
        (folder / f"{item.audio_id}{s}" for s in RECORDING_SUFFIXES if (folder / f"{item.audio_id}{s}").exists()), None
    )
    return found if found is not None and speaks(found, item.text) else None


def speaks(recording: Path, text: str) -> bool:
    """Whether a recording says `text`: false only when the text file beside it names another."""
    spoken = recording.with_suffix(SPOKEN_TEXT_SUFFIX)
    return not spoken.exists() or spoken.read_text(encoding="utf-8") == text


@dataclass
class BuildReport:
    generated: int = 0
    reused: int = 0


def _convert(source: Path, stem: Path, lang: str) -> None:
    """One decode and loudness pass, two encodings; files appear under their names only when whole."""
    graph = f"[0:a]{LOUDNESS},aformat=channel_layouts=mono,asplit={len(FORMATS)}" + "".join(f"[{e}]" for e in FORMATS)
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source), "-filter_complex", graph]
    partials = {}
    for extension, codec in FORMATS.items():
        partials[extension] = stem.with_name(f".{stem.name}.{extension}.part")
        command += ["-map", f"[{extension}]", *codec, "-metadata", f"language={lang}", "-f", extension]
        command.append(str(partials[extension]))
    subprocess.run(command, check=True, capture_output=True, timeout=FFMPEG_SECONDS)
    for extension, partial in partials.items():
        partial.replace(stem.with_suffix(f".{extension}"))


@dataclass(frozen=True)
class _Job:
    item: Speakable
    recording: Path | None
    engine: SpeechEngine | None
    stem: Path


def _works(engine: SpeechEngine) -> bool:
    """One short synthesis: an engine that cannot speak now (no network) is left out of this build."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            engine.synthesize("Hej.", sorted(engine.languages)[0], Path(folder) / "probe")
        except SpeechError as error:
            logger.warning("%s; building without it.", error)
            return False
    return True


def build(
    content: Content,
    engines: Sequence[SpeechEngine],
    recordings: Path,
    out: Path,
    workers: int = os.cpu_count() or 1,
    only: Collection[tuple[str, str]] | None = None,
) -> BuildReport:
    """Makes sure every text has its audio in `out`; writes the manifest; reports what it did.

    With `only` (language, audio id) pairs, just those texts are looked at again and every other
    text keeps the audio the manifest already gives it: how a new recording goes live in seconds
    without probing speech engines or checking hundreds of files.

    One build at a time per audio folder (the run command's, the recording page's, a coordinator's
    `python -m bot audio`): each writes the manifest from what it found, so two at once could
    leave out what the other just added."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / BUILD_LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(content, engines, recordings, out, workers, only)


def _build(
    content: Content,
    engines: Sequence[SpeechEngine],
    recordings: Path,
    out: Path,
    workers: int,
    only: Collection[tuple[str, str]] | None,
) -> BuildReport:
    usable = [engine for engine in engines if _works(engine)]
    previous = _read_manifest(out) if only is not None else {}
    manifest: dict[str, dict[str, str]] = {}
    jobs: list[_Job] = []
    reused = 0
    for item in speakables(content):
        key = text_key(item.lang, item.text)
        if only is not None and (item.lang, item.audio_id) not in only:
            if key in previous:
                manifest[key] = previous[key]
            continue
        recording = recording_for(recordings, item)
        engine = None if recording else next((e for e in usable if item.lang in e.languages), None)
        if recording is None and engine is None:
            if only is not None and (built := _built_voice(out, item)):
                manifest[key] = built
            continue
        source = f"{RECORDED}:{_digest(recording.read_bytes())[:16]}" if recording else engine.name
        manifest[key] = _entry(item, source)
        stem = out / manifest[key]["file"]
        if _has_files(out, manifest[key]):
            reused += 1
        else:
            jobs.append(_Job(item, recording, engine, stem))
    made = _make_all(jobs, manifest, out, workers)
    for job, ok in zip(jobs, made, strict=True):
        if not ok:
            del manifest[text_key(job.item.lang, job.item.text)]
    _write_manifest(out, manifest)
    return BuildReport(generated=sum(made), reused=reused)


def _entry(item: Speakable, source: str) -> dict[str, str]:
    return {"file": _digest(f"{item.lang}\n{source}\n{item.text}".encode()), "source": source, "id": item.audio_id}


def _built_voice(out: Path, item: Speakable) -> dict[str, str] | None:
    """A synthetic voice of this exact text built earlier and still on disk: what a text gets back
    when its recording is undone by the recording page, which builds without speech engines."""
    return next((entry for name in SYNTHETIC if _has_files(out, entry := _entry(item, name))), None)


def _make_all(jobs: list[_Job], manifest: dict[str, dict[str, str]], out: Path, workers: int) -> list[bool]:
    """Makes the jobs' audio; whether each succeeded. The assistant answers while this runs (the run
    command builds in the background), so the manifest is rewritten as audio comes in, at most every
    PROGRESS_SECONDS: finished texts get their audio in minutes, not after the whole build. A text
    still waiting keeps the audio it had, if its files are still there."""
    old = _read_manifest(out)
    pending = {text_key(job.item.lang, job.item.text) for job in jobs}
    ready = {key: entry for key, entry in manifest.items() if key not in pending}
    ready |= {key: old[key] for key in pending if key in old and _has_files(out, old[key])}
    written = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_make, job): job for job in jobs}
        for future in as_completed(futures):
            key = text_key(futures[future].item.lang, futures[future].item.text)
            if future.result():
                ready[key] = manifest[key]
            if time.monotonic() - written >= PROGRESS_SECONDS:
                _write_manifest(out, ready)
                written = time.monotonic()
        return [future.result() for future in futures]  # in the order of the jobs


def _has_files(out: Path, entry: dict[str, str]) -> bool:
    return all((out / f"{entry['file']}.{ext}").exists() for ext in FORMATS)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


def _make(job: _Job) -> bool:
    try:
        if job.recording is not None:
            _convert(job.recording, job.stem, job.item.lang)
            return True
        with tempfile.TemporaryDirectory() as folder:
            raw = job.engine.synthesize(job.item.text, job.item.lang, Path(folder) / "speech")
            _convert(raw, job.stem, job.item.lang)
        return True
    except (SpeechError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        logger.warning("No audio for %s/%s this time: %s", job.item.lang, job.item.audio_id, error)
        return False


def _read_manifest(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_manifest(out: Path, manifest: dict[str, dict[str, str]]) -> None:
    partial = out / f".{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(out / MANIFEST)


class AudioIndex:
    """Finds the audio of a message the assistant is about to send; re-reads the manifest on change."""

    def __init__(self, out: Path, base_url: str) -> None:
        self._path = out / MANIFEST
        self._base_url = base_url.rstrip("/")
        self._stamp: tuple[int, int, int] | None = None
        self._manifest: dict[str, dict[str, str]] = {}

    def urls(self, lang: str, text: str) -> dict[str, str]:
        """{"audio": MP3 URL, "voice": OGG/Opus URL}, or {} when this exact text has no audio yet."""
        self._refresh()
        entry = self._manifest.get(text_key(lang, text))
        if entry is None:
            return {}
        return {
            "audio": f"{self._base_url}/audio/{entry['file']}.mp3",
            "voice": f"{self._base_url}/audio/{entry['file']}.ogg",
        }

    def voiced(self, messages: list[replies.Message]) -> list[replies.Message]:
        """The messages with their audio URLs in `custom`: one place for every channel (Rasa actions,
        the widget's content API), so an answer carries the same audio whichever way it is shown."""
        return [
            {**message, "custom": {**message["custom"], **self.urls(message["custom"]["lang"], message["text"])}}
            for message in messages
        ]

    def _refresh(self) -> None:
        """The manifest is replaced whole (a new file renamed over it), so a new inode, time or size
        means a new manifest; the time alone can repeat, as file times advance in clock ticks of a few milliseconds."""
        try:
            found = self._path.stat()
        except FileNotFoundError:
            return
        stamp = (found.st_ino, found.st_mtime_ns, found.st_size)
        if stamp != self._stamp:
            self._manifest = json.loads(self._path.read_text(encoding="utf-8"))
            self._stamp = stamp


def _source(entry: dict[str, str] | None) -> str:
    if entry is None:
        return "missing"
    return "recorded" if entry["source"].startswith(RECORDED) else "generated"


def sources(content: Content, out: Path) -> list[tuple[Speakable, str]]:
    """Every text with where its audio comes from now: "recorded", "generated" or "missing"."""
    manifest = _read_manifest(out)
    return [(item, _source(manifest.get(text_key(item.lang, item.text)))) for item in speakables(content)]


def source(out: Path, item: Speakable) -> str:
    """Where one text's audio comes from now: "recorded", "generated" or "missing"."""
    return _source(_read_manifest(out).get(text_key(item.lang, item.text)))


def coverage(content: Content, out: Path) -> tuple[Counter, dict[str, list[str]]]:
    """Per (language, "generated"|"recorded"|"missing"): how many texts; and per language the ids
    still without audio, i.e. the recordings coordinators should ask for."""
    counts: Counter = Counter()
    missing: dict[str, list[str]] = {}
    for item, source in sources(content, out):
        counts[(item.lang, source)] += 1
        if source == "missing":
            missing.setdefault(item.lang, []).append(item.audio_id)
    return counts, missing
