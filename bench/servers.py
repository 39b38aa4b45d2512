"""The two assistants the load benchmarks compare, started from cold on free ports.

- **Ours**: the action server and the Rasa server exactly as `python -m bot run` starts them
  (`bot.services.assistant_services` and `start`, the project's `endpoints.yml`: SQLite tracker
  store, in-memory lock store), with a temporary var folder, so a benchmark never touches real
  conversations. The web server is left out: it is not on the REST channel's path.
- **Stock**: the sample assistant of `rasa init --no-prompt` (DIET, TED, memoization and rules),
  run as `rasa run -m models` in its own folder, with its own REST channel (`credentials.yml`) and
  its in-memory tracker store. Made once into `var/bench/stock/` (git-ignored) and reused; the
  time `rasa init` took to make and train it is kept next to it.

Memory is the resident set (RSS) of each server's whole process tree, summed: what the machine
must have for the assistant to run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bot.assistant_client import WEBHOOK

ROOT = Path(__file__).resolve().parent.parent
STOCK_DIR = ROOT / "var" / "bench" / "stock"
STOCK_TIMING = STOCK_DIR / "bench-init.json"
FIRST_ANSWER_TIMEOUT_SECONDS = 300
# Rasa's own TensorFlow and telemetry chatter off, for both assistants alike.
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}


@dataclass
class Running:
    """A started assistant: where its REST channel is, its processes, and what starting cost."""

    name: str
    url: str
    processes: list[subprocess.Popen]
    cold_start_seconds: float
    model: Path
    labels: list[str] = field(default_factory=lambda: ["Rasa server"])  # one per process
    extra: dict = field(default_factory=dict)

    def pids(self) -> dict[str, int]:
        """Each server's process id, by server name."""
        return {label: popen.pid for label, popen in zip(self.labels, self.processes, strict=True)}

    def rss_by_server(self) -> dict[str, int]:
        """Resident memory (bytes) of each server's whole process tree, by server name."""
        return {label: _tree_rss(pid) for label, pid in self.pids().items()}

    def rss_bytes(self) -> int:
        """Resident memory of every server process and its children, summed."""
        return sum(self.rss_by_server().values())


def _tree_rss(pid: int) -> int:
    try:
        root = psutil.Process(pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total
    except psutil.NoSuchProcess:
        return 0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_first_answer(url: str, message: str, started: float, processes: list[subprocess.Popen]) -> float:
    """Seconds from `started` until the REST channel answers a real message with at least one reply."""
    deadline = started + FIRST_ANSWER_TIMEOUT_SECONDS
    with httpx.Client(timeout=30) as client:
        while time.perf_counter() < deadline:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("A server stopped while starting.")
            try:
                response = client.post(f"{url}{WEBHOOK}", json={"sender": "bench-cold-start", "message": message})
                if response.status_code == 200 and response.json():
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"No answer from {url} within {FIRST_ANSWER_TIMEOUT_SECONDS} s.")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _logs(folder: Path, name: str):
    return open(folder / f"{name}.log", "w", encoding="utf-8")


@contextmanager
def ours(model: Path, first_message: str = "hej", extra_env: dict[str, str] | None = None) -> Iterator[Running]:
    """Our action server and Rasa server, as the run command starts them, in a temporary var folder."""
    from bot import services

    with tempfile.TemporaryDirectory(prefix="bench-ours-") as folder:
        var = Path(folder) / "var"
        (var / "audio").mkdir(parents=True)  # the tracker database goes in var/ too
        manifest = ROOT / "var" / "audio" / "manifest.json"
        if manifest.exists():  # answers carry their audio URLs, as in real use
            shutil.copy(manifest, var / "audio" / "manifest.json")
        rasa_port, actions_port = free_port(), free_port()
        wanted = ("action server", "Rasa server")
        running = [s for s in services.assistant_services(model, rasa_port, actions_port) if s.name in wanted]
        env = {
            **QUIET,
            "HALSOLOTSEN_VAR": str(var),
            "HALSOLOTSEN_TRACKER_DB": str(var / "tracker.db"),
            **(extra_env or {}),
        }
        started = time.perf_counter()
        services.start(running, actions_port, env=env)
        url = f"http://localhost:{rasa_port}"
        processes = [s.process for s in running]
        try:
            cold = wait_for_first_answer(url, first_message, started, processes)
            yield Running("ours", url, processes, cold, model, labels=[s.name for s in running])
        finally:
            services.stop(running)


def stock_model() -> tuple[Path, float | None]:
    """The stock assistant's trained model, made by `rasa init` the first time; and how long that took."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    if not models:
        shutil.rmtree(STOCK_DIR, ignore_errors=True)
        STOCK_DIR.mkdir(parents=True)  # rasa init wants the folder to exist
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
            env={**os.environ, **QUIET},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        STOCK_TIMING.write_text(json.dumps({"init_and_train_seconds": round(time.perf_counter() - started, 1)}))
        models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    timing = json.loads(STOCK_TIMING.read_text()) if STOCK_TIMING.exists() else {}
    return models[-1], timing.get("init_and_train_seconds")


@contextmanager
def stock(first_message: str = "hello") -> Iterator[Running]:
    """`rasa init`'s sample assistant, served with `rasa run -m models` and its own REST channel."""
    model, init_seconds = stock_model()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-stock-") as folder:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "-m", "models", "--port", str(port)],
            cwd=STOCK_DIR,
            env={**os.environ, **QUIET},
            stdout=_logs(Path(folder), "rasa"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://localhost:{port}"
        try:
            cold = wait_for_first_answer(url, first_message, started, [process])
            yield Running("stock", url, [process], cold, model, extra={"init_and_train_seconds": init_seconds})
        finally:
            stop([process])


class MemorySampler:
    """Samples an assistant's RSS per server in the background, every `every_seconds`.

    `samples`, `peak` and `peak_by_server` cover the time since the last `reset`.
    """

    def __init__(self, running: Running, every_seconds: float = 0.5) -> None:
        self._running = running
        self._every = every_seconds
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.samples: list[tuple[float, dict[str, int]]] = []
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            sample = (time.monotonic(), self._running.rss_by_server())
            with self._lock:
                self.samples.append(sample)
            self._stop.wait(self._every)

    def reset(self) -> None:
        with self._lock:
            self.samples = []

    def totals(self) -> list[tuple[float, int]]:
        """(monotonic seconds, bytes of all servers together) for every sample."""
        with self._lock:
            return [(t, sum(by_server.values())) for t, by_server in self.samples]

    def peak(self) -> int:
        return max((rss for _, rss in self.totals()), default=self._running.rss_bytes())

    def peak_by_server(self) -> dict[str, int]:
        with self._lock:
            samples = [by_server for _, by_server in self.samples] or [self._running.rss_by_server()]
        return {label: max(sample.get(label, 0) for sample in samples) for label in samples[0]}
