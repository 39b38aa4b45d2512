"""Mutation testing of the code that holds the project's promises (issue 21), with mutmut.

    .venv/bin/python -m bench.mutation            # every promise below
    .venv/bin/python -m bench.mutation readability handoff_store   # only some, by name

mutmut changes one operator, constant or call at a time in the functions listed in PROMISES
and runs the fast tests that reach that function; a change no test notices ("survived") is a
promise the suite would let break. The run works in a scratch copy of the project (mutmut
writes its mutated tree to `mutants/` there), so the working tree is never changed, and the
surviving mutants, with their diffs, go to the mutation section of BENCHMARKS.md.

Only in-process tests run (a real Rasa server per mutant would take minutes each): the routing
in actions/ and the REST channel is tested through the fast tests in tests/unit/test_promise_units.py;
the end-to-end tests of the same promises are in test_emergency_triggers.py and
test_handoff_promises.py. mutmut mutates function bodies, not module constants: LIX_LIMIT is
held by tests/test_readability_limit.py, checked by hand (see the section in BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.report import update_section

ROOT = Path(__file__).resolve().parent.parent

MUTMUT_VERSION = "3.4.0"
TITLE = "Mutation testing of the promises (`bench/mutation.py`)"
COPIED = ("bot", "actions", "tests", "content", "data", "config.yml", "domain.yml", "endpoints.yml", "pyproject.toml")
SEPARATOR = "ǁ"  # mutmut's separator of class and method in a mutant's name
# mutmut's command line, imported as `mutmut.__main__`: under `python -m mutmut` that module would
# be imported a second time by the mutated code, and it may set the start method only once.
MUTMUT = [sys.executable, "-c", "from mutmut.__main__ import cli; cli()"]
TAKEOVER = "tests/unit/test_handoff_takeover.py"
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", -24: "timeout"}


@dataclass(frozen=True)
class Promise:
    """A promise, the functions that hold it, and the fast tests that must notice a change."""

    name: str
    what: str
    module: str
    functions: tuple[str, ...]  # "function" or "Class.method"
    tests: tuple[str, ...]

    def globs(self) -> list[str]:
        dotted = self.module.removesuffix(".py").replace("/", ".")
        return [f"{dotted}.x{_mangled(function)}__mutmut_*" for function in self.functions]


def _mangled(function: str) -> str:
    cls, _, name = function.rpartition(".")
    return f"{SEPARATOR}{cls}{SEPARATOR}{name}" if cls else f"_{name}"


UNITS = "tests/unit/test_promise_units.py"
CHECK = "tests/unit/test_content_check.py"
STORE = "tests/unit/test_handoff_store.py"
PROMISES = (
    Promise(
        "emergency_actions",
        "an emergency trigger is answered first, in every answering action and mid-form",
        "actions/base.py",
        ("ContentAction.run",),
        (UNITS,),
    ),
    Promise(
        "emergency_channel",
        "an emergency is answered while a coordinator has the conversation",
        "bot/rasa/channel.py",
        ("_passed_to_coordinator",),
        (UNITS,),
    ),
    Promise(
        "emergency_match",
        "trigger phrases match whole words, also after an Arabic conjunction",
        "bot/nlu/normalize.py",
        ("contains_phrase", "without_arabic_conjunctions"),
        (UNITS, CHECK, "tests/unit/test_languages.py"),
    ),
    Promise(
        "consent",
        'consent "no" ends the form and stores nothing; an open request is not asked for twice',
        "actions/handoff.py",
        tuple(f"ValidateHandoffForm.{name}" for name in ("required_slots", "run", "validate_handoff_consent")),
        (UNITS,),
    ),
    Promise(
        "readability",
        "`bot check` refuses Swedish over LIX 35",
        "bot/content/readability.py",
        ("lix", "as_sentences"),
        (
            CHECK,
            *(
                f"tests/test_readability_limit.py::{name}"
                for name in (
                    "test_the_boundary_texts_score_what_the_formula_says",
                    "test_an_answer_and_its_steps_are_read_as_sentences",
                    "test_a_text_without_words_scores_zero",
                )
            ),
        ),
    ),
    Promise(
        "handoff_store",
        "taking over, authorization between municipalities, closing hands back to the bot",
        "bot/handoff/coordination.py",
        ("listing", "_request", "detail", "_mine", "claim", "write", "set_status"),
        (STORE, TAKEOVER),
    ),
    Promise(
        "deletion",
        "deleting a participant's requests, and retention of old ones",
        "bot/handoff/participants.py",
        ("live_request", "return_to_bot", "_delete", "delete_all", "forget_old"),
        (STORE, TAKEOVER, "tests/unit/test_retention.py"),
    ),
    Promise(
        "retention",
        "idle conversations are forgotten after the retention period",
        "bot/rasa/retention.py",
        ("forget_idle_conversations",),
        ("tests/unit/test_retention.py",),
    ),
    Promise(
        "log_redaction",
        "nothing a participant wrote reaches the logs",
        "bot/rasa/log_privacy.py",
        ("redact", "_fixed_text", "redacted_traceback", "redact_event", "_chain_with_links", "_message"),
        tuple(
            f"tests/test_log_privacy.py::{name}"
            for name in (
                "test_a_traceback_keeps_its_frames_and_types_but_not_messages",
                "test_what_is_about_the_machine_stays",
                "test_a_record_without_a_conversation_stays_as_it_is",
                "test_a_structlog_event_keeps_its_name_and_explanation_only",
            )
        ),
    ),
)


def _scratch_copy(promises: list[Promise], folder: Path) -> Path:
    """The project in `folder`, with mutmut's settings for these promises in setup.cfg."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, folder / name)
    mutated = {promise.module for promise in promises}
    others = sorted(
        str(path.relative_to(folder))
        for package in ("bot", "actions")
        for path in (folder / package).rglob("*.py")
        if str(path.relative_to(folder)) not in mutated
    )
    tests = sorted({test for promise in promises for test in promise.tests})
    settings = {
        "paths_to_mutate": ["bot/", "actions/"],
        "also_copy": [name for name in COPIED if name not in ("bot", "actions", "tests", "pyproject.toml")],
        "do_not_mutate": others,
        "tests_dir": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-W", "ignore"],
    }
    lines = ["[mutmut]"] + [f"{key}=\n    " + "\n    ".join(values) for key, values in settings.items()]
    (folder / "setup.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _results(folder: Path, promises: list[Promise]) -> dict[str, int]:
    """Exit code by mutant name, for the mutants of these promises' functions."""
    globs = [glob for promise in promises for glob in promise.globs()]
    found: dict[str, int] = {}
    for meta in (folder / "mutants").rglob("*.meta"):
        for name, code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].items():
            if code is not None and any(fnmatch.fnmatch(name, glob) for glob in globs):
                found[name] = code
    return found


# Diffs of many mutants in one process: `mutmut show` per mutant parses its file again each time.
DIFFS = """
import contextlib, io, json, sys
from mutmut.__main__ import ensure_config_loaded, get_diff_for_mutant
ensure_config_loaded()
found = {}
for path, names in json.loads(sys.stdin.read()).items():
    source = open("mutants/" + path, encoding="utf-8").read()
    for name in names:
        with contextlib.redirect_stdout(io.StringIO()):
            found[name] = get_diff_for_mutant(name, source=source, path=path)
print(json.dumps(found))
"""


def _diffs(folder: Path, names: list[str], promises: list[Promise]) -> dict[str, str]:
    """The changed lines of each mutant, without the diff's headers."""
    by_path: dict[str, list[str]] = {}
    for name in names:
        module = next(p.module for p in promises if any(fnmatch.fnmatch(name, g) for g in p.globs()))
        by_path.setdefault(module, []).append(name)
    shown = subprocess.run(
        [sys.executable, "-c", DIFFS], cwd=folder, input=json.dumps(by_path), capture_output=True, text=True, check=True
    )
    return {
        name: "\n".join(line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---")))
        for name, diff in json.loads(shown.stdout).items()
    }


def run(promises: list[Promise], max_children: int) -> tuple[dict[str, int], dict[str, str], float]:
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        folder = _scratch_copy(promises, Path(scratch))
        globs = [glob for promise in promises for glob in promise.globs()]
        started = time.perf_counter()
        subprocess.run(
            [*MUTMUT, "run", "--max-children", str(max_children), *globs],
            cwd=folder,
            check=True,
        )
        seconds = time.perf_counter() - started
        results = _results(folder, promises)
        diffs = _diffs(folder, [name for name, code in results.items() if STATUS.get(code) != "killed"], promises)
    return results, diffs, seconds


def report(promises: list[Promise], results: dict[str, int], diffs: dict[str, str], seconds: float) -> str:
    lines = [
        f"mutmut {MUTMUT_VERSION} over the functions that hold a promise, each mutant against the fast "
        f"tests that reach it; {len(results)} mutants in {seconds / 60:.1f} min. "
        "Rerun: `.venv/bin/python -m bench.mutation` (or name promises to run only those).",
        "",
        "| promise | code | mutants | killed | survived | no test / timeout |",
        "|---|---|---|---|---|---|",
    ]
    for promise in promises:
        mine = {n: c for n, c in results.items() if any(fnmatch.fnmatch(n, g) for g in promise.globs())}
        counts = Counter(STATUS.get(code, "other") for code in mine.values())
        functions = ", ".join(promise.functions)
        lines.append(
            f"| {promise.what} | `{promise.module}`: {functions} | {len(mine)} | {counts['killed']} | "
            f"{counts['survived']} | {counts['no tests'] + counts['timeout'] + counts['other']} |"
        )
    survivors = sorted(name for name, code in results.items() if STATUS.get(code) != "killed")
    lines += ["", f"### Surviving mutants ({len(survivors)})", ""]
    if not survivors:
        lines.append("None: every mutant of these functions made a test fail.")
    for name in survivors:
        lines += [f"- `{name}` ({STATUS.get(results[name], 'other')})", "", "  ```diff"]
        lines += [f"  {line}" for line in diffs[name].splitlines()] + ["  ```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("promises", nargs="*", help=f"default: all of {', '.join(p.name for p in PROMISES)}")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing BENCHMARKS.md")
    args = parser.parse_args()
    unknown = set(args.promises) - {p.name for p in PROMISES}
    if unknown:
        parser.error(f"no such promise: {', '.join(sorted(unknown))}")
    chosen = [p for p in PROMISES if not args.promises or p.name in args.promises]
    results, diffs, seconds = run(chosen, args.max_children)
    body = report(chosen, results, diffs, seconds)
    if not args.no_write:
        update_section(ROOT / "BENCHMARKS.md", "mutation", TITLE, body)
    print(body)


if __name__ == "__main__":
    main()
