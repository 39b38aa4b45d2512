"""The one entry point for people: check content, train the model, run the assistant."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.accounts import commands as account_commands
from bot.audio import library, speech
from bot.content import coverage
from bot.content.check import example_trigger_problems, nlu_topic_problems
from bot.content.store import Content, ContentError, ContentStore, load
from bot.rasa import retention, training
from bot.settings import (
    AUDIO_DIR,
    AUDIT_RETENTION_DAYS,
    CONTENT_DIR,
    HANDOFF_RETENTION_DAYS,
    INSIGHTS_RETENTION_DAYS,
    NLU_DIR,
    PROJECT_ROOT,
    PUBLIC_URL,
    RASA_PORT,
    SETTINGS,
    TELEGRAM_OPS_PORT,
    TRACKER_DB,
    TTS,
    USAGE_RETENTION_DAYS,
    WEB_OPS_PORT,
    WEB_PORT,
)

HOUSEKEEPING_SECONDS = 3600
AUDIO_WATCH_SECONDS = 2.0  # how often `bot audio --watch` looks for edited content
OPS_PORT_HELP = "the loopback port of its /health, /ready and /metrics (docs/operators.md)"


def _load_checked() -> Content | None:
    """Loads content and checks it all, readability too, printing every problem in file:line form;
    None if there were any. Imported here: readability needs spaCy, which `web` and `telegram` lack."""
    from bot.content import readability

    try:
        content = load(CONTENT_DIR)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"\n{len(error.problems)} problem(s). Fix them and run the check again.", file=sys.stderr)
        return None
    problems = readability.problems(CONTENT_DIR) + nlu_topic_problems(NLU_DIR, set(content.items))
    problems += example_trigger_problems(CONTENT_DIR, content.urgent_item)
    for problem in problems:
        print(problem, file=sys.stderr)
    return None if problems else content


def check(verbose: bool) -> int:
    """`python -m bot check`: problems first, then how readable the Swedish answers are."""
    from bot.content.readability import LIX_AIM, LIX_LIMIT, as_sentences, lix

    content = _load_checked()
    if content is None:
        return 1
    scores = {item.id: lix(as_sentences(item.text, item.steps)) for item in content.items.values()}
    if verbose:
        for item_id, score in sorted(scores.items(), key=lambda pair: -pair[1]):
            print(f"  LIX {score:5.1f}  {item_id}")
    values = list(scores.values())
    within_aim = sum(score <= LIX_AIM for score in values)
    print(
        f"sv: {len(values)} answers, all LIX ≤ {LIX_LIMIT}; median {statistics.median(values):.1f}, "
        f"max {max(values):.1f}; {within_aim} of {len(values)} at or under {LIX_AIM}."
    )
    print()
    print(coverage.table(coverage.coverage(content), library.coverage(content, AUDIO_DIR)[0]))
    print("\nreviewed: a person checked it. draft: not checked yet. stale: the Swedish item changed after the check.")
    print("Missing translations are shown in Swedish, with a note in the participant's language.")
    print("Content OK.")
    return 0


def train(force: bool) -> int:
    content = _load_checked()
    if content is None:
        return 1
    training.train(content, force=force)
    return 0


def run() -> int:
    """`python -m bot run`: check, train if the data changed, start the assistant and wait. Missing
    audio is made in the background: the assistant answers as soon as Rasa is up, and each answer
    carries its audio once that exists (the manifest is re-read when it changes)."""
    from bot import services
    from bot.web.embed import embed_snippet

    content = _load_checked()
    if content is None:
        return 1
    model = training.train(content)
    ops_ports = services.default_ops_ports()
    assistant = services.assistant_services(model, ops_ports=ops_ports)
    telegram_on = SETTINGS.TELEGRAM_BOT_TOKEN is not None
    if telegram_on:
        assistant.append(services.telegram_front_end(ops_ports["telegram"]))
    audio = _audio_in_background()
    try:
        services.start(assistant)
        print(f"\nHälsolotsen is running. Classroom chat page: {PUBLIC_URL}/")
        print(f"Embed it in a school's page: {embed_snippet(PUBLIC_URL)}")
        print(f"REST channel: POST http://localhost:{RASA_PORT}/webhooks/rest/webhook")
        print("Telegram: on." if telegram_on else "Telegram: off (set TELEGRAM_BOT_TOKEN to turn it on).")
        print("Readiness (all ready now): " + "  ".join(s.ready_url for s in assistant if s.ready_url))
        print("Audio: made in the background, also for texts edited while running; answers carry it once it exists.")
        print("Stop with Ctrl-C.", flush=True)
        return services.serve_until_stopped(assistant, lambda: forget(f"sqlite:///{TRACKER_DB}"), HOUSEKEEPING_SECONDS)
    finally:
        audio.terminate()
        audio.wait()


def _audio_in_background() -> subprocess.Popen:
    """`python -m bot audio --watch` as a child process, which prints its summary after each build.
    In a session of its own, so Ctrl-C stops the assistant (which then ends the build) rather than
    interrupting the build mid-file with a traceback."""
    from bot import services

    return subprocess.Popen(
        [sys.executable, "-m", "bot", "audio", "--engine", TTS, "--watch"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **services.QUIET},
        start_new_session=True,
    )


def build_audio(engine_setting: str, show_missing: bool, watch: bool = False) -> int:
    """`python -m bot audio`: make the audio that is missing or out of date, then report coverage.
    With `watch`, keep going: an answer corrected in the editor or the review studio, or a file
    saved by hand, gets its new audio within seconds, not at the next start."""
    content = _load_checked()
    if content is None:
        return 1
    engines = speech.engines(engine_setting)
    store = ContentStore(CONTENT_DIR) if watch else None  # before the build: an edit during it counts
    _build_and_report(content, engines, show_missing)
    if store is not None:
        _rebuild_on_change(store, engines)
    return 0


def _rebuild_on_change(store: ContentStore, engines: list[speech.SpeechEngine]) -> None:
    """Builds again whenever the content store reloads: it reloads only when a file changed and
    keeps the last good content when a file is broken, so a half-typed edit costs nothing."""
    built = store.get()
    while True:
        time.sleep(AUDIO_WATCH_SECONDS)
        content = store.refresh()
        if content is not built:
            built = content
            _build_and_report(content, engines, show_missing=False)


def _build_and_report(content: Content, engines: list[speech.SpeechEngine], show_missing: bool) -> None:
    started = time.perf_counter()
    report = library.build(content, engines, CONTENT_DIR, AUDIO_DIR)
    missing = library.coverage(content, AUDIO_DIR)[1]
    print(f"Audio: {report.generated} made, {report.reused} unchanged, in {time.perf_counter() - started:.1f} s.")
    for lang, ids in missing.items():
        print(
            f"  {lang}: {len(ids)} texts without audio (they are sent as text). Recordings go in content/{lang}/audio/."
        )
        if show_missing:
            print("    " + "\n    ".join(ids))
    sys.stdout.flush()


def telegram(ops_port: int) -> int:
    """`python -m bot telegram`: the Telegram front end alone, in front of a running assistant."""
    from bot import logs
    from bot.telegram import app, config

    settings = config.from_environment()
    if settings is None:
        print("Set TELEGRAM_BOT_TOKEN (from @BotFather) to run the Telegram front end.", file=sys.stderr)
        return 2
    logs.configure()
    app.run(settings, ops_port)
    return 0


def forget(db_url: str) -> int:
    """`python -m bot forget`: delete conversations idle for longer than the retention period, and
    hand-off requests, unanswered questions, usage counts and audit log entries older than theirs."""
    from bot.handoff import audit, participants
    from bot.insights import store as insights
    from bot.insights import usage

    deleted = retention.forget_idle_conversations(db_url)
    if deleted:
        print(f"Forgot {deleted} events of conversations idle for more than {retention.RETENTION}.", flush=True)
    requests = participants.forget_old(HANDOFF_RETENTION_DAYS)
    if requests:
        print(f"Deleted {requests} hand-off requests untouched for {HANDOFF_RETENTION_DAYS} days.", flush=True)
    questions = insights.forget_old(max(INSIGHTS_RETENTION_DAYS, 0))
    if questions:
        print(f"Deleted {questions} unanswered questions older than {INSIGHTS_RETENTION_DAYS} days.", flush=True)
    counts = usage.forget_old(USAGE_RETENTION_DAYS)
    if counts:
        print(f"Deleted {counts} daily usage counts older than {USAGE_RETENTION_DAYS} days.", flush=True)
    entries = audit.forget_old(AUDIT_RETENTION_DAYS)
    if entries:
        print(f"Deleted {entries} audit log entries older than {AUDIT_RETENTION_DAYS} days.", flush=True)
    return 0


def backup(folder: Path) -> int:
    """`python -m bot backup`: a consistent copy of what this machine cannot lose, while it runs."""
    from bot.storage import backup as backups

    try:
        copied = backups.backup(folder)
    except backups.BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Backed up to {folder}: {', '.join(copied)}.")
    if not any(part.name == "var/halsolotsen.db" for part in backups.parts()):
        print('The hand-off database is not SQLite: back it up with pg_dump (docs/operators.md, "Backups").')
    if SETTINGS.HALSOLOTSEN_SENDER_KEY is not None:
        print("HALSOLOTSEN_SENDER_KEY comes from the environment: keep that value safe too; it is not in the backup.")
    return 0


def restore(folder: Path, replace: bool) -> int:
    """`python -m bot restore`: a backup back in place; existing data is refused or moved aside."""
    from bot.storage import backup as backups

    try:
        restored = backups.restore(folder, replace)
    except backups.BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Restored from {folder}: {', '.join(restored)}. Start the assistant; the model is trained if missing.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="check content/ and print file:line for every problem")
    check_parser.add_argument("--verbose", "-v", action="store_true", help="list the LIX of every answer")
    train_parser = commands.add_parser("train", help="train the model if its training data changed")
    train_parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    commands.add_parser("run", help="check, train if needed, make audio, and start the assistant")
    audio_parser = commands.add_parser("audio", help="make missing audio and list texts that still need a recording")
    audio_parser.add_argument("--engine", default=TTS, choices=["auto", "espeak", "gtts"])
    audio_parser.add_argument("--missing", action="store_true", help="list every id without audio")
    audio_parser.add_argument("--watch", action="store_true", help="then keep making audio for edited texts")
    telegram_parser = commands.add_parser("telegram", help="run only the Telegram front end (needs TELEGRAM_BOT_TOKEN)")
    telegram_parser.add_argument("--ops-port", type=int, default=TELEGRAM_OPS_PORT, help=OPS_PORT_HELP)
    web_parser = commands.add_parser("web", help="run only the web server (chat page, its API, audio files)")
    web_parser.add_argument("--port", type=int, default=WEB_PORT)
    web_parser.add_argument("--ops-port", type=int, default=WEB_OPS_PORT, help=OPS_PORT_HELP)
    forget_parser = commands.add_parser("forget", help="delete conversations idle longer than the retention period")
    forget_parser.add_argument("--db-url", default=f"sqlite:///{TRACKER_DB}", help="the tracker store's database URL")
    backup_parser = commands.add_parser("backup", help="copy the databases, keys, content and audio while running")
    backup_parser.add_argument("folder", type=Path, help="a new or empty folder")
    restore_parser = commands.add_parser("restore", help="put a backup back in place")
    restore_parser.add_argument("folder", type=Path, help="a folder made by `backup`")
    restore_parser.add_argument("--replace", action="store_true", help="move existing data aside instead of stopping")
    account_commands.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "backup":
        return backup(args.folder)
    if args.command == "restore":
        return restore(args.folder, args.replace)
    if args.command == "account":
        return account_commands.run(args)
    if args.command == "check":
        return check(args.verbose)
    if args.command == "train":
        return train(args.force)
    if args.command == "forget":
        return forget(args.db_url)
    if args.command == "audio":
        return build_audio(args.engine, args.missing, args.watch)
    if args.command == "telegram":
        return telegram(args.ops_port)
    if args.command == "web":
        from bot.web import app

        app.serve(args.port, args.ops_port)
        return 0
    return run()
