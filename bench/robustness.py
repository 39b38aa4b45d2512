"""Robustness benchmark: the hostile-input tests at a larger scale, counted, into BENCHMARKS.md.

    .venv/bin/python -m bench.robustness             # 4 times the batches the test suite sends
    .venv/bin/python -m bench.robustness --scale 1   # exactly what the test suite sends

Runs tests/test_hostile_input.py with pytest in this process (a real trained model, Rasa, action
and web servers on loopback) with HALSOLOTSEN_HOSTILE_SCALE set, so it checks exactly what the
tests check: no 5xx, every JSON answer is JSON, and after every batch the processes still run and
"hej" gets the main menu on the REST channel and in the widget. Then it counts what was sent by
route and answer status (tests/barrage.py keeps the tally) and rewrites the Robustness section.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Which part of the assistant a request path belongs to, first match wins.
SURFACES = (
    ("/webhooks/rest/webhook", "REST channel: messages (Rasa)"),
    ("/webhooks/rest/conversations/", "REST channel: stored conversation"),
    ("/api/chat/inbox", "web: coordinator's messages (inbox)"),
    ("/api/chat", "web: widget chat"),
    ("/koordinator/api/login", "web: coordinator login"),
    ("/koordinator/api/", "web: coordinator API"),
    ("/audio/", "web: audio files"),
    ("/", "web: other pages and content API"),
)


def surface(path: str) -> str:
    return next(name for prefix, name in SURFACES if path.startswith(prefix))


def table(tally: Counter) -> list[str]:
    rows: dict[str, Counter] = {}
    for (path, status), count in tally.items():
        rows.setdefault(surface(path), Counter())[f"{status // 100}xx"] += count
    lines = ["| surface | requests | 2xx | 4xx | 5xx |", "|---|---|---|---|---|"]
    total: Counter = Counter()
    for _, name in SURFACES:
        if name in rows:
            row = rows[name]
            total.update(row)
            lines.append(f"| {name} | {sum(row.values())} | {row['2xx']} | {row['4xx']} | {row['5xx']} |")
    lines.append(f"| all | {sum(total.values())} | {total['2xx']} | {total['4xx']} | {total['5xx']} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=4, help="times the test suite's batches (default 4)")
    args = parser.parse_args()
    os.environ["HALSOLOTSEN_HOSTILE_SCALE"] = str(args.scale)

    import pytest

    from bench.report import update_section
    from tests import barrage

    started = time.monotonic()
    outcome = pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_hostile_input.py")])
    minutes = (time.monotonic() - started) / 60
    load = os.getloadavg()[0]
    passed = outcome == pytest.ExitCode.OK
    batches = sum(barrage.BATCHES.values())
    lines = [
        f"`tests/test_hostile_input.py` at {args.scale}× the batches of the test suite: "
        f"{sum(barrage.TALLY.values())} hostile requests in {batches} batches of up to 25, sent 8 at a time "
        f"to a real Rasa, action and web server; {minutes:.1f} min including training check, audio and "
        f"start-up (load average {load:.1f} at the end, on a shared machine).",
        "",
        *table(barrage.TALLY),
        "",
        f"Result: {'passed' if passed else 'FAILED'}. After each batch the three processes were still "
        f'running and a new conversation\'s "hej" got the main menu on the REST channel and in the widget'
        f"{'' if passed else ' (see the pytest output for what failed)'}. 4xx are the intended refusals "
        "(malformed body, unknown item or language, no login, wrong CSRF token, path outside a folder).",
    ]
    text = "\n".join(lines)
    update_section(ROOT / "BENCHMARKS.md", "robustness", "Robustness (`bench/robustness.py`)", text)
    print(text)
    return int(outcome)


if __name__ == "__main__":
    sys.exit(main())
