"""`python -m bot backup <folder>` and `python -m bot restore <folder>`: what a machine cannot lose.

A backup holds the two SQLite databases (hand-off requests, accounts and insights; Rasa's
conversations), the generated keys in var/keys/ (without the sender key, Telegram participants
lose their requests and /radera), the content with its recordings, and the built audio. The
databases are copied with SQLite's online backup API while the assistant runs: it reads one
consistent state, the write-ahead log included, which a plain file copy can miss. The trained
model is not included: `python -m bot train` makes it again from content and data/nlu.

A PostgreSQL database is backed up with pg_dump (docs/operators.md, "Backups"): its server, not
this command, knows how to copy it while it runs.

Nothing is overwritten by accident: a backup goes into an empty folder, its manifest written last
(so a broken-off backup is refused by restore), and restore refuses to replace existing data
unless told to, and then moves that data aside instead of deleting it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import AUDIO_DIR, CONTENT_DIR, DATABASE_URL, TRACKER_DB, VAR_DIR

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """What is wrong, in one sentence an operator can act on; nothing has been changed."""


@dataclass(frozen=True)
class Part:
    """One thing a backup holds: where it lives here, its name in the backup, and how it is copied."""

    path: Path
    name: str
    database: bool = False


def parts() -> list[Part]:
    """What this machine's backup holds, as the settings place it. The hand-off database only when
    it is SQLite (else: pg_dump)."""
    found = [Part(TRACKER_DB, "var/tracker.db", database=True)]
    handoff = _sqlite_path(DATABASE_URL)
    if handoff is not None:
        found.append(Part(handoff, "var/halsolotsen.db", database=True))
    return [*found, Part(VAR_DIR / "keys", "var/keys"), Part(CONTENT_DIR, "content"), Part(AUDIO_DIR, "var/audio")]


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def backup(folder: Path) -> list[str]:
    """Copies every part that exists into `folder` (new or empty); returns what it copied."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder, so that no backup is overwritten.")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)  # it holds keys and personal data
    copied = []
    for part in parts():
        if not part.path.exists():
            continue
        target = folder / part.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if part.database:
            _copy_database(part.path, target)
        elif part.path.is_dir():
            shutil.copytree(part.path, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(part.path, target)
        copied.append(part.name)
    made = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    manifest = {"format": FORMAT, "made": made, "parts": copied}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return copied


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while other processes write, the WAL included.
    The copy is one self-contained file (no WAL beside it)."""
    with sqlite3.connect(source, timeout=10) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    live.close()
    copy.close()


def restore(folder: Path, replace: bool = False) -> list[str]:
    """Puts a backup's parts where the settings place them; returns what it restored. Existing data
    is refused, or with `replace` moved aside to `<name>.replaced-<time>` (kept, not deleted)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup, or the backup did not finish.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of format {manifest.get('format')}; this version reads {FORMAT}.")
    wanted = [part for part in parts() if part.name in manifest["parts"]]
    for part in wanted:
        if part.database:
            _check_database(folder / part.name)
    in_the_way = [part.path for part in wanted if _has_data(part.path)]
    if in_the_way and not replace:
        listed = ", ".join(str(path) for path in in_the_way)
        raise BackupError(
            f"Data is already there ({listed}). Stop the assistant, then restore with --replace to move it aside."
        )
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for part in wanted:
        if _has_data(part.path):
            aside = part.path.with_name(f"{part.path.name}.replaced-{stamp}")
            part.path.rename(aside)
            for log in ("-wal", "-shm"):  # an SQLite file's last writes may still be in its log
                if Path(f"{part.path}{log}").exists():
                    Path(f"{part.path}{log}").rename(f"{aside}{log}")
        part.path.parent.mkdir(parents=True, exist_ok=True)
        source = folder / part.name
        if source.is_dir():
            shutil.copytree(source, part.path, dirs_exist_ok=True)
        else:
            shutil.copy2(source, part.path)
    keys = VAR_DIR / "keys"
    if keys.is_dir():
        keys.chmod(0o700)
        for key in keys.iterdir():
            os.chmod(key, 0o600)
    return [part.name for part in wanted]


def _has_data(path: Path) -> bool:
    return path.is_file() or (path.is_dir() and any(path.iterdir()))


def _check_database(path: Path) -> None:
    """A damaged copy is refused before anything here is touched."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}); nothing was restored.") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged ({verdict}); nothing was restored.")
