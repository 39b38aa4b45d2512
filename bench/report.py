"""Keeps BENCHMARKS.md one file with a section per benchmark, each rewritten by its own run."""

from __future__ import annotations

import datetime
import platform
import re
from pathlib import Path


def update_section(path: Path, key: str, title: str, body: str) -> None:
    """Replaces (or appends) the section between this benchmark's markers."""
    stamp = f"_Measured {datetime.date.today().isoformat()} on {platform.node() or 'this machine'} ({_machine()})._"
    block = f"<!-- {key}:start -->\n## {title}\n\n{stamp}\n\n{body}\n<!-- {key}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- {key}:start -->.*?<!-- {key}:end -->", re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


def _machine() -> str:
    import os

    return f"{os.cpu_count()} cores, Python {platform.python_version()}"
