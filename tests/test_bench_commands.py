"""Every benchmark runs the one documented way, `python -m bench.<name>`, and no bench module can hide
a standard-library module (bench/profile.py once hid `profile`, which spaCy imports through cProfile)."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys

import pytest

import bench
from bot.settings import PROJECT_ROOT

MODULES = sorted(module.name for module in pkgutil.iter_modules(bench.__path__))
# A benchmark is a module that runs as a program; the others are its parts (client, stats…).
BENCHMARKS = [
    name for name in MODULES if 'if __name__ == "__main__":' in (PROJECT_ROOT / "bench" / f"{name}.py").read_text()
]


def test_no_bench_module_is_named_like_a_standard_library_module() -> None:
    assert "stats" in MODULES and "nlu" in MODULES  # the list is read from the folder, not empty
    assert [name for name in ["bench", *MODULES] if name in sys.stdlib_module_names] == []


def test_every_documented_benchmark_is_found() -> None:
    documented = {"audio", "cost", "langid", "load", "nlu", "profiling", "robustness", "soak", "understanding"}
    assert documented <= set(BENCHMARKS)


@pytest.mark.parametrize("name", BENCHMARKS)
def test_each_benchmark_shows_its_help_when_run_as_a_module(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:")
    assert f"python -m bench.{name}" in done.stdout, "the help shows the command that runs it"


def test_no_hand_written_section_sits_inside_a_benchmarks_markers() -> None:
    """A benchmark run replaces everything between its `<!-- name:start -->` and `<!-- name:end -->`:
    a hand-written section there would be lost on the next run (the sixth round's once was)."""
    text = (PROJECT_ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- (\w+):start -->(.*?)<!-- \1:end -->", text, re.DOTALL)
    assert {"understanding", "mutation", "load"} <= {name for name, _ in blocks}
    inside = [(name, line) for name, body in blocks for line in body.splitlines() if "hand-written" in line]
    assert inside == []
