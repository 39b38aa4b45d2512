"""Load benchmark: Hälsolotsen against a stock `rasa init` assistant, same machine, same client, same run.

    .venv/bin/python -m bench.load                     # 1, 10, 50, 100 participants, 30 s each
    .venv/bin/python -m bench.load --seconds 10 --levels 1 10

For each assistant, back to back (only one runs at a time): start it from cold and time the first
answer, warm up for a few seconds, then for each number of simultaneous participants run
realistic conversations (bench/conversations.py) for a fixed time and record messages per second,
latency percentiles, errors and the peak memory of its servers. Ours is trained first if its
training data changed (the time is reported then). Raw figures go to bench/results/load.json,
the table and the ratios to the load section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import time
from pathlib import Path

from bench import client, servers
from bench.conversations import OurConversations, StockConversations
from bench.report import update_section

ROOT = Path(__file__).resolve().parent.parent

LEVELS = (1, 10, 50, 100)
WARM_UP_SECONDS = 5
MB = 1024 * 1024
# The aims of issue 8, at 10 simultaneous participants.
AIM_LEVEL = 10
AIM_THROUGHPUT_RATIO = 2.0
AIM_P95_MS = 250
AIM_MEMORY_MB = 1.2 * 1024
AIM_COLD_START_SECONDS = 30


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure(running: servers.Running, conversations, levels: list[int], seconds: float) -> dict:
    """Every level against one running assistant, with its memory sampled throughout."""
    result = {
        "cold_start_seconds": round(running.cold_start_seconds, 1),
        "model_mb": round(running.model.stat().st_size / MB, 1),
        "idle_rss_mb": round(running.rss_bytes() / MB),
        "levels": {},
        **running.extra,
    }
    with servers.MemorySampler(running) as memory:
        client.load(running.url, conversations.next, 2, WARM_UP_SECONDS)
        for participants in levels:
            memory.reset()
            before = load_average()
            figures = client.load(running.url, conversations.next, participants, seconds).summary()
            figures |= {
                "peak_rss_mb": round(memory.peak() / MB),
                "peak_rss_by_server_mb": {k: round(v / MB) for k, v in memory.peak_by_server().items()},
                "load_average_before": before,
            }
            figures["load_average_after"] = load_average()
            result["levels"][str(participants)] = figures
            print(f"  {running.name} {participants:>3} participants: {json.dumps(figures)}", flush=True)
    levels = result["levels"].values()
    result["peak_rss_mb"] = max(level["peak_rss_mb"] for level in levels)
    result["peak_rss_by_server_mb"] = {
        label: max(level["peak_rss_by_server_mb"][label] for level in levels) for label in running.labels
    }
    return result


def run_stock(levels: list[int], seconds: float) -> dict:
    print("stock rasa init assistant: starting", flush=True)
    with servers.stock() as running:
        return measure(running, StockConversations(servers.STOCK_DIR), levels, seconds)


def run_ours(levels: list[int], seconds: float) -> dict:
    from bot.content.store import load
    from bot.rasa import training

    content = load(servers.ROOT / "content")
    trained = training.needs_training(content)
    started = time.perf_counter()
    model = training.train(content)
    training_seconds = round(time.perf_counter() - started, 1) if trained else None
    print("Hälsolotsen: starting", flush=True)
    with servers.ours(model) as running:
        result = measure(running, OurConversations(), levels, seconds)
    return result | ({"training_seconds": training_seconds} if training_seconds else {})


def ratios(results: dict) -> dict:
    """Ours against stock at the aims' level, and the aims themselves."""
    ours, stock = results["ours"], results["stock"]
    at = str(AIM_LEVEL)
    o, s = ours["levels"][at], stock["levels"][at]
    return {
        "throughput_ratio": round(o["messages_per_second"] / s["messages_per_second"], 2),
        "p95_ratio": round(o["p95_ms"] / s["p95_ms"], 2),
        "memory_ratio": round(ours["peak_rss_mb"] / stock["peak_rss_mb"], 2),
        "cold_start_ratio": round(ours["cold_start_seconds"] / stock["cold_start_seconds"], 2),
    }


def _level_rows(name: str, result: dict) -> list[str]:
    rows = []
    for participants, f in result["levels"].items():
        errors = f["errors"] if not f["error_kinds"] else f"{f['errors']} ({', '.join(f['error_kinds'])})"
        rows.append(
            f"| {name} | {participants} | {f['messages_per_second']:.1f} | {f.get('p50_ms', '–')} "
            f"| {f.get('p95_ms', '–')} | {f.get('p99_ms', '–')} | {f['answered']} | {errors} | {f['peak_rss_mb']} "
            f"| {f['load_average_before'][0]:.1f} → {f['load_average_after'][0]:.1f} |"
        )
    return rows


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(results: dict, seconds: float) -> str:
    ours, stock, r = results["ours"], results["stock"], results["ratios"]
    o10 = ours["levels"][str(AIM_LEVEL)]
    by_server = ", ".join(f"{label} {mb} MB" for label, mb in ours["peak_rss_by_server_mb"].items())
    lines = [
        "Command: `.venv/bin/python -m bench.load` (options: `--levels 1 10 50 100 --seconds 30`).",
        "",
        f"Simulated participants in closed loop (each sends its next message as soon as the answer comes, "
        f"no think time), {seconds:g} s per level, after a {WARM_UP_SECONDS} s warm-up; both assistants in the "
        f"same run, one after the other, with the same client (bench/client.py). Latency is per message, "
        f"as the participant sees it. Memory: RSS of the Rasa server plus (ours) the action server, "
        f"sampled every 0.5 s.",
        "",
        "| assistant | participants | messages/s | p50 ms | p95 ms | p99 ms | answered | errors | peak RSS MB "
        "| load avg (1 min) before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *_level_rows("stock `rasa init`", stock),
        *_level_rows("Hälsolotsen", ours),
        "",
        f"Aims (issue 8) at {AIM_LEVEL} participants:",
        "",
        "| aim | Hälsolotsen | stock | ratio ours/stock | verdict |",
        "|---|---|---|---|---|",
        f"| throughput ≥ {AIM_THROUGHPUT_RATIO:g}× stock | {o10['messages_per_second']:.1f} msg/s "
        f"| {stock['levels'][str(AIM_LEVEL)]['messages_per_second']:.1f} msg/s | {r['throughput_ratio']:.2f}× "
        f"| {_verdict(r['throughput_ratio'] >= AIM_THROUGHPUT_RATIO)} |",
        f"| p95 ≤ {AIM_P95_MS} ms | {o10['p95_ms']} ms | {stock['levels'][str(AIM_LEVEL)]['p95_ms']} ms "
        f"| {r['p95_ratio']:.2f}× | {_verdict(o10['p95_ms'] <= AIM_P95_MS)} |",
        f"| peak memory ≤ 1.2 GB (Rasa + action server, all levels) | {ours['peak_rss_mb']} MB "
        f"| {stock['peak_rss_mb']} MB | {r['memory_ratio']:.2f}× | {_verdict(ours['peak_rss_mb'] <= AIM_MEMORY_MB)} |",
        f"| cold start to first answer ≤ {AIM_COLD_START_SECONDS} s | {ours['cold_start_seconds']} s "
        f"| {stock['cold_start_seconds']} s | {r['cold_start_ratio']:.2f}× "
        f"| {_verdict(ours['cold_start_seconds'] <= AIM_COLD_START_SECONDS)} |",
        f"| zero errors | {sum(f['errors'] for f in ours['levels'].values())} "
        f"| {sum(f['errors'] for f in stock['levels'].values())} | | "
        f"{_verdict(not any(f['errors'] for f in ours['levels'].values()))} |",
        "",
        f"Peak memory of ours by server (process trees): {by_server}. Cold start is from starting the "
        f"server processes to the first answer (HTTP 200 with a reply) to a real message.",
        "",
        "Conversations (bench/conversations.py, seeded): ours mixes menu and topic taps, free questions in "
        "Swedish, Arabic, Tigrinya and Somali (held-out examples from `tests/nlu/<lang>.yml`), a language "
        'change and a hand-off start (`/handoff`, then the consent question\'s "Nej", so nothing is stored); '
        "the stock assistant gets its own greet/mood/bot-challenge/goodbye examples. Every participant starts "
        "a new conversation (new sender id) after each one ends. An error is a failed request, a non-200 "
        "status, a timeout (30 s) or an empty answer.",
        "",
        "Why a small asyncio client (bench/client.py, aiohttp) and not Locust or similar: a participant is a "
        "conversation in which each message waits for the last answer, under one sender id, and two "
        "assistants need different conversations; on 2 cores the client shares the CPU with the servers, so "
        "it must be light (one event loop, no gevent workers or web UI); and the percentiles come from every "
        "exact latency, not from rounded buckets. aiohttp comes with Rasa, so nothing new is installed.",
        "",
        f"Load average at start {results['load_average_start']}, at end {results['load_average_end']} "
        f"(1, 5, 15 min; 2 cores). The client runs on the same 2 cores as the servers.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--save-as", default="load", help="name of the JSON file in bench/results/ (without .json)")
    parser.add_argument("--no-report", action="store_true", help="write the JSON only, not BENCHMARKS.md")
    args = parser.parse_args()
    results = {
        "measured": datetime.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_start": load_average(),
    }
    results["stock"] = run_stock(args.levels, args.seconds)
    results["ours"] = run_ours(args.levels, args.seconds)
    results["load_average_end"] = load_average()
    if str(AIM_LEVEL) in results["ours"]["levels"]:
        results["ratios"] = ratios(results)
    out = ROOT / "bench" / "results" / f"{args.save_as.removesuffix('.json')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"Raw figures: {out.relative_to(ROOT)}")
    if "ratios" in results and not args.no_report:
        text = report(results, args.seconds)
        update_section(ROOT / "BENCHMARKS.md", "load", "Load: Hälsolotsen against a stock Rasa assistant", text)
        print(text)


if __name__ == "__main__":
    main()
