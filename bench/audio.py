"""Audio benchmark: time to build every answer's audio offline from scratch, and coverage per language.

    .venv/bin/python -m bench.audio

Uses espeak-ng (what works without the network) into a fresh folder, so nothing is cached; then a
second build to show that unchanged texts cost nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.report import update_section
from bot.audio import library
from bot.audio.speech import EspeakSpeech
from bot.content.store import load
from bot.settings import CONTENT_DIR

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    content = load(CONTENT_DIR)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        first = library.build(content, [EspeakSpeech()], CONTENT_DIR, out)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        second = library.build(content, [EspeakSpeech()], CONTENT_DIR, out)
        warm = time.perf_counter() - started
        size = sum(f.stat().st_size for f in out.iterdir()) / 1e6
        counts, _ = library.coverage(content, out)
    lines = [
        f"- Build from scratch with espeak-ng, {os.cpu_count()} workers: {first.generated} texts in {cold:.0f} s "
        f"({cold / max(first.generated, 1):.2f} s per text, OGG/Opus + MP3, loudness-normalised), {size:.0f} MB.",
        f"- Second build, nothing changed: {second.generated} made, {second.reused} reused, {warm:.1f} s.",
        "",
        "| language | texts | generated | recorded | missing (sent as text) |",
        "|---|---|---|---|---|",
    ]
    for lang in content.languages():
        row = [counts[(lang, kind)] for kind in ("generated", "recorded", "missing")]
        lines.append(f"| {lang} | {sum(row)} | {row[0]} | {row[1]} | {row[2]} |")
    lines += [
        "",
        "Tigrinya and Somali have no speech engine (neither gTTS nor espeak-ng speaks them): their audio "
        "comes from human recordings in `content/<lang>/audio/`; `python -m bot audio --missing` lists what to record.",
    ]
    text = "\n".join(lines)
    update_section(ROOT / "BENCHMARKS.md", "audio", "Audio (`bench/library.py`)", text)
    print(text)


if __name__ == "__main__":
    main()
