"""Where the Rasa server and the action server spend their CPU under load: py-spy, summarised.

    .venv/bin/python -m bench.profiling                     # 10 participants, 30 s
    .venv/bin/python -m bench.profiling --seconds 60 --save-as after

Profile before changing code: this starts our assistant from cold (temporary var folder), warms
it up, and runs the load benchmark's conversations with `--participants` simulated participants
while py-spy (pinned in requirements.txt) samples each server process. py-spy reads the
processes' memory from outside, so the servers run unmodified; it needs ptrace (root, or
`CAP_SYS_PTRACE` in a container). Idle time is left out, so shares are of CPU time.

The raw stacks (py-spy's collapsed "raw" format, loadable in speedscope.app or flamegraph.pl) go
to var/bench/profiles/ (git-ignored, they are large); the summary (shares by package, by function,
and of our own code, bot/ and actions/) to bench/results/profile-<name>.json and is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import client, servers
from bench.conversations import OurConversations
from bench.load import MB, WARM_UP_SECONDS, load_average
from bench.report import update_section

ROOT = Path(__file__).resolve().parent.parent

PROFILES = ROOT / "var" / "bench" / "profiles"
RATE = 50  # samples per second: enough for shares of a percent, light on a 2-core machine
OUR_PACKAGES = ("bot", "actions")
TOP = 15
TOP_TOTAL = 30
SHOWN = 10  # costs per server in BENCHMARKS.md
TRUNK_SHARE = 0.9  # functions in more than this share of samples are the trunk (main, Sanic, handle_message)
# Start-up and server frames every request passes through, in any thread, and the plumbing of
# Rasa's graph runner (dask) and of rasa_sdk's executor: also the trunk.
TRUNK_FILES = (
    "dask/",
    "rasa/engine/",
    "rasa_sdk/executor.py",
    "rasa_sdk/utils.py",
    "runpy.py",
    "threading.py",
    "concurrent/",
    "sanic/",
    "rasa/__main__.py",
    "rasa/cli/",
    "rasa/api.py",
    "rasa/core/run.py",
    "rasa_sdk/__main__.py",
    "rasa_sdk/endpoint.py",
    "bot/rasa/action_server.py",
    "connection_task",
    "handle_request",
)
WAITING = {("_worker", "concurrent/futures/thread.py"), ("serve", "sanic/server/runners.py")}


def _frame_parts(frame: str) -> tuple[str, str]:
    """(function, file) of one py-spy frame "function (path/to/file.py:line)"."""
    function, _, location = frame.partition(" (")
    return function, location.rsplit(":", 1)[0].rstrip(")")


def package(path: str) -> str:
    """The top-level package or module of a file: `rasa`, `jsonschema`, `bot`, `json`, `pathlib`.

    py-spy names files relative to the entry of sys.path they came from (`rasa/core/agent.py`,
    `bot/storage/database.py`, `pathlib.py`), so the first part is the package.
    """
    parts = Path(path).parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif Path(path).is_absolute() and Path(path).is_relative_to(ROOT):
        parts = Path(path).relative_to(ROOT).parts
    return parts[0].removesuffix(".py") if parts else path


def is_waiting(function: str, path: str) -> bool:
    """A stack that ends in a thread pool worker waiting for work, or in Sanic's event loop itself
    (uvloop is C: waiting for sockets, or its own I/O). py-spy cannot always tell these are idle."""
    return (function, path) in WAITING


def summarise(raw: str) -> dict:
    """Shares of busy CPU samples: self time by package and function; total time (the function and
    what it calls) of every function below the common trunk, and of our own functions."""
    self_by_package: Counter = Counter()
    self_by_function: Counter = Counter()
    inclusive: Counter = Counter()
    ours_inclusive: Counter = Counter()
    total = waiting = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_parts(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        function, path = frames[-1]
        if is_waiting(function, path):
            waiting += count
            continue
        total += count
        self_by_package[package(path)] += count
        self_by_function[f"{function} ({path})"] += count
        for function, path in set(frames):
            if not path.startswith(TRUNK_FILES):
                inclusive[f"{function} ({path})"] += count
            if package(path) in OUR_PACKAGES:
                ours_inclusive[f"{function} ({path})"] += count

    def shares(counter: Counter, top: int = TOP) -> list[tuple[str, float]]:
        return [(key, round(100 * n / total, 1)) for key, n in counter.most_common(top)] if total else []

    return {
        "busy_samples": total,
        "waiting_samples": waiting,
        "self_by_package_percent": shares(self_by_package),
        "self_by_function_percent": shares(self_by_function),
        "total_by_function_percent": shares(
            Counter({key: n for key, n in inclusive.items() if n < TRUNK_SHARE * total}), TOP_TOTAL
        ),
        "our_code_total_percent": shares(ours_inclusive),
    }


def record(pid: int, seconds: float, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(RATE),
            "--duration",
            str(round(seconds)),
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _profile_rows(name: str, result: dict) -> list[str]:
    r = result["run"]
    memory = ", ".join(f"{label} {mb}" for label, mb in result["peak_rss_by_server_mb"].items())
    return [
        f"| {name} | {r['messages_per_second']:.1f} | {r.get('p50_ms', '–')} | {r.get('p95_ms', '–')} | {r['errors']} "
        f"| {result['cold_start_seconds']} | {memory} | {result['load_average_start'][0]:.1f} "
        f"→ {result['load_average_end'][0]:.1f} |"
    ]


def _top_costs(name: str, result: dict, label: str, count: int = SHOWN) -> list[str]:
    server = result["servers"][label]
    costs = "; ".join(f"{key} {share}%" for key, share in server["total_by_function_percent"][:count])
    return [f"- {name}, {label} ({server['busy_samples']} busy samples): {costs}"]


def report(profiles: dict[str, dict]) -> str:
    """Every saved profile (before, after…) side by side, and where each one's CPU time went."""
    lines = [
        "Command: `.venv/bin/python -m bench.profiling --save-as before` (then `--save-as after` once changed); "
        f"py-spy {RATE} samples/s on each server while simulated participants talk (closed loop, no think "
        "time). Shares are of busy samples (threads waiting for work left out); a function's share includes "
        "what it calls.",
        "",
        "| profile | messages/s | p50 ms | p95 ms | errors | cold start s | peak RSS MB | load avg (1 min) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, result in profiles.items():
        lines += _profile_rows(name, result)
    lines += ["", "Largest costs (total time per function, below the common trunk):", ""]
    for name, result in profiles.items():
        for label in result["servers"]:
            lines += _top_costs(name, result, label)
    first = next(iter(profiles.values()))
    lines += ["", f"{first['participants']} participants, {first['seconds']:g} s per profile; 2 cores, shared."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--save-as", default="before", help="name of this profile, e.g. before or after")
    parser.add_argument("--no-report", action="store_true", help="write the JSON only, not BENCHMARKS.md")
    parser.add_argument("--model", type=Path, help="a trained model to serve (default: the project's, trained if due)")
    args = parser.parse_args()
    from bot.content.store import load
    from bot.rasa import training

    model = args.model or training.train(load(ROOT / "content"))
    PROFILES.mkdir(parents=True, exist_ok=True)
    results: dict = {"participants": args.participants, "seconds": args.seconds, "load_average_start": load_average()}
    with servers.ours(model) as running, servers.MemorySampler(running) as memory:
        results["cold_start_seconds"] = round(running.cold_start_seconds, 1)
        conversations = OurConversations()
        client.load(running.url, conversations.next, 2, WARM_UP_SECONDS)
        outputs = {
            label: PROFILES / f"{args.save_as}-{label.replace(' ', '-').lower()}.txt" for label in running.labels
        }
        spies = [record(pid, args.seconds, outputs[label]) for label, pid in running.pids().items()]
        time.sleep(1)  # py-spy attaches before the load starts
        run = client.load(running.url, conversations.next, args.participants, args.seconds - 1)
        for spy in spies:
            spy.wait(timeout=60)
        results["peak_rss_by_server_mb"] = {label: round(v / MB) for label, v in memory.peak_by_server().items()}
    results["load_average_end"] = load_average()
    results["run"] = run.summary()
    results["servers"] = {label: summarise(path.read_text(encoding="utf-8")) for label, path in outputs.items()}
    out = ROOT / "bench" / "results" / f"profile-{args.save_as}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    raw = ", ".join(str(path.relative_to(ROOT)) for path in outputs.values())
    print(f"Summary: {out.relative_to(ROOT)}; raw stacks: {raw}")
    if not args.no_report:
        saved = sorted(out.parent.glob("profile-*.json"), key=lambda path: path.stat().st_mtime)
        profiles = {path.stem.removeprefix("profile-"): json.loads(path.read_text(encoding="utf-8")) for path in saved}
        text = report(profiles)
        update_section(ROOT / "BENCHMARKS.md", "profile", "Profile under load (`bench/profiling.py`)", text)
        print(text)


if __name__ == "__main__":
    main()
