"""`bot run`'s promise about children that stop (bot/services.py): one that stops is started again
after a pause, the others keep running; one that keeps stopping ends the assistant with status 1.
Real child processes, small pauses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from bot import services

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
PAUSE = 4.0  # longer than starting Python takes on a busy machine, so no pause cannot pass for one


def _stop_when(condition: Callable[[], bool]) -> Callable[[], None]:
    """Housekeeping that ends serve_until_stopped (as Ctrl-C does) once `condition()` holds."""

    def check() -> None:
        if condition():
            raise KeyboardInterrupt

    return check


def test_a_child_that_stops_once_is_started_again_after_a_pause_and_its_sibling_keeps_running(
    tmp_path: Path,
) -> None:
    starts = tmp_path / "starts"
    # Writes the time of each start; the first time it dies at once, the second time it stays up.
    flaky = services.Service(
        "flaky",
        [sys.executable, "-c", f"import pathlib, sys, time; p = pathlib.Path({str(starts)!r}); "
         "before = p.read_text() if p.exists() else ''; p.write_text(before + f'{time.time()}\\n'); "
         "sys.exit(3) if not before else time.sleep(120)"],
        None,
    )  # fmt: skip
    sibling = services.Service("sibling", SLEEPER, None)
    services.start([flaky, sibling])
    sibling_pid = sibling.process.pid

    def started_twice() -> bool:
        return starts.exists() and len(starts.read_text().split()) == 2 and flaky.process.poll() is None

    code = services.serve_until_stopped(
        [flaky, sibling],
        _stop_when(started_twice),
        every_seconds=0.1,
        restarts=services.Restarts(pauses_seconds=(PAUSE,), window_seconds=60, tolerated=3),
    )
    assert code == 0
    first, second = (float(line) for line in starts.read_text().split())
    assert second - first >= PAUSE  # it paused before starting it again
    assert sibling.process.pid == sibling_pid  # the sibling was never restarted
    assert flaky.process.poll() is not None and sibling.process.poll() is not None  # both stopped at the end


def test_a_child_that_keeps_stopping_ends_the_assistant_with_status_1() -> None:
    crasher = services.Service(
        "crasher", [sys.executable, "-c", "import time; time.sleep(0.3); raise SystemExit(3)"], None
    )
    sibling = services.Service("sibling", SLEEPER, None)
    services.start([crasher, sibling])
    code = services.serve_until_stopped(
        [crasher, sibling],
        lambda: None,
        every_seconds=60,
        restarts=services.Restarts(pauses_seconds=(0.1, 0.2), window_seconds=60, tolerated=2),
    )
    assert code == 1
    assert sibling.process.poll() is not None  # stopped with it
