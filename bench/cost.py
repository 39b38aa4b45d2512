"""Cost benchmark: training time, model size, cold start and idle memory, ours against stock `rasa init`.

    .venv/bin/python -m bench.cost                 # train both afresh, then 3 cold starts each
    .venv/bin/python -m bench.cost --starts 5 --no-training

Training runs `rasa train` from scratch into a temporary folder for each assistant, one after
the other. Cold start is the time from starting the server processes until the REST channel
answers a real message (for ours: action server and Rasa server, as the run command starts
them); the median of several starts is reported, since the shared machine's load varies. Peak
memory under load is measured by `bench.load`. Raw figures go to bench/results/cost.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import servers
from bench.load import AIM_COLD_START_SECONDS, load_average
from bench.report import update_section

ROOT = Path(__file__).resolve().parent.parent

MB = 1024 * 1024


def train_seconds(project: Path) -> tuple[float, float]:
    """Seconds for `rasa train --force` from scratch in `project`, and the model's size in MB."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as out:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--force", "--out", out],
            cwd=project,
            env={**os.environ, **servers.QUIET},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        took = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(out).glob("*.tar.gz")) / MB
    return round(took, 1), round(size, 1)


def cold_starts(start, count: int) -> dict:
    """`count` cold starts: each one's seconds to the first answer and its memory just after, per server."""
    seconds, rss = [], []
    for _ in range(count):
        with start() as running:
            seconds.append(round(running.cold_start_seconds, 1))
            rss.append({label: round(b / MB) for label, b in running.rss_by_server().items()})
    return {
        "cold_start_seconds": seconds,
        "median_cold_start_seconds": statistics.median(seconds),
        "idle_rss_mb": [sum(r.values()) for r in rss],
        "idle_rss_by_server_mb": rss,
    }


def peak_under_load() -> dict | None:
    """Peak memory per server in the last load benchmark (bench/results/load.json), if there is one."""
    path = ROOT / "bench" / "results" / "load.json"
    if not path.exists():
        return None
    results = json.loads(path.read_text(encoding="utf-8"))
    return {"measured": results["measured"]} | {
        name: results[name]["peak_rss_by_server_mb"] for name in ("ours", "stock") if name in results
    }


def _servers(mb_by_server: dict[str, int]) -> str:
    parts = " + ".join(f"{label} {mb}" for label, mb in mb_by_server.items())
    return f"{sum(mb_by_server.values())} MB" + (f" ({parts})" if len(mb_by_server) > 1 else "")


def _memory(starts: list[dict[str, int]]) -> str:
    """Memory after each cold start; the servers' split of the first."""
    totals = ", ".join(str(sum(r.values())) for r in starts)
    split = " + ".join(f"{label} {mb}" for label, mb in starts[0].items())
    return f"{totals} MB" + (f" ({split})" if len(starts[0]) > 1 else "")


def report(results: dict) -> str:
    ours, stock = results["ours"], results["stock"]
    rows = [
        "Command: `.venv/bin/python -m bench.cost` (options: `--starts 3`, `--no-training`).",
        "",
        "| | Hälsolotsen | stock `rasa init` | ratio ours/stock |",
        "|---|---|---|---|",
    ]

    def row(label: str, key: str, unit: str) -> None:
        if key in ours and key in stock:
            ratio = ours[key] / stock[key] if stock[key] else float("nan")
            rows.append(f"| {label} | {ours[key]} {unit} | {stock[key]} {unit} | {ratio:.2f}× |")

    row("training from scratch", "training_seconds", "s")
    row("model size", "model_mb", "MB")
    row(f"cold start to first answer (median of {len(ours['cold_start_seconds'])})", "median_cold_start_seconds", "s")
    rows.append(
        f"| memory after the first answer | {_memory(ours['idle_rss_by_server_mb'])} "
        f"| {_memory(stock['idle_rss_by_server_mb'])} | |"
    )
    peak = results.get("peak_under_load")
    if peak and "ours" in peak and "stock" in peak:
        rows.append(
            f"| peak memory under load (bench.load, {peak['measured']}) | {_servers(peak['ours'])} "
            f"| {_servers(peak['stock'])} | {sum(peak['ours'].values()) / sum(peak['stock'].values()):.2f}× |"
        )
    rows += [
        "",
        f"Cold starts one by one: ours {ours['cold_start_seconds']} s, stock {stock['cold_start_seconds']} s; "
        f"aim ≤ {AIM_COLD_START_SECONDS} s: "
        f"{'met' if ours['median_cold_start_seconds'] <= AIM_COLD_START_SECONDS else '**not met**'}. "
        f"Ours is two processes (Rasa server and action server, started "
        f"together); the stock assistant has no custom actions, so it runs no action server. Memory under "
        f"load is in the load section. Load average at start {results['load_average_start']}"
        + (
            f", after training {results['load_average_after_training']}"
            if "load_average_after_training" in results
            else ""
        )
        + f", at end {results['load_average_end']} (1, 5, 15 min; 2 cores).",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--no-training", action="store_true", help="skip the two trainings from scratch")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the section from cost.json and the latest load.json"
    )
    args = parser.parse_args()
    out = ROOT / "bench" / "results" / "cost.json"
    if args.report_only:
        results = json.loads(out.read_text(encoding="utf-8"))
    else:
        results = measure(args.starts, not args.no_training)
    results["peak_under_load"] = peak_under_load()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    text = report(results)
    update_section(ROOT / "BENCHMARKS.md", "cost", "Cost: training, model, cold start (`bench/cost.py`)", text)
    print(text)


def measure(starts: int, training_too: bool) -> dict:
    from bot.content.store import load
    from bot.rasa import training

    results: dict = {"load_average_start": load_average()}
    model = training.train(load(ROOT / "content"))
    stock_model, _ = servers.stock_model()
    results["ours"] = {"model_mb": round(model.stat().st_size / MB, 1)}
    results["stock"] = {"model_mb": round(stock_model.stat().st_size / MB, 1)}
    if training_too:
        print("training both from scratch", flush=True)
        results["stock"]["training_seconds"], _ = train_seconds(servers.STOCK_DIR)
        results["ours"]["training_seconds"], _ = train_seconds(ROOT)
        results["load_average_after_training"] = load_average()
    print("cold starts", flush=True)
    results["stock"] |= cold_starts(servers.stock, starts)
    results["ours"] |= cold_starts(lambda: servers.ours(model), starts)
    results["load_average_end"] = load_average()
    return results


if __name__ == "__main__":
    main()
