"""Soak benchmark: many simulated participants for minutes on end; memory must stay flat, errors zero.

    .venv/bin/python -m bench.soak                          # 100 participants, 5 minutes
    .venv/bin/python -m bench.soak --minutes 10 --participants 100 --every 5

A leak shows only over time (a cache that never forgets a sender, a growing list of trackers),
so this runs one long level of the load benchmark's conversations (bench/conversations.py, same
client) against our assistant, started from cold in a temporary var folder, and samples the RSS
of the Rasa server and the action server every few seconds. Reported: messages, errors, latency,
RSS at start, end and peak, and the least-squares slope of RSS in MB per minute, over the whole
run and over its second half (the first minutes include caches filling up once). Raw figures and
every memory sample go to bench/results/soak.json, the summary to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

from bench import client, servers
from bench.conversations import OurConversations
from bench.load import MB, WARM_UP_SECONDS, load_average
from bench.report import update_section
from bench.stats import slope_per_minute

ROOT = Path(__file__).resolve().parent.parent

# Growth under this many MB per minute over the second half counts as flat: with 100 participants
# starting new conversations all the time, a leak of even a few KB per conversation shows above it.
FLAT_MB_PER_MINUTE = 2.0


def memory_figures(samples: list[tuple[float, dict[str, int]]]) -> dict:
    """Start, end, peak and slope of the summed RSS, and the peak of each server, from timed samples."""
    start_time = samples[0][0]
    totals = [(t - start_time, sum(by_server.values()) / MB) for t, by_server in samples]
    second_half = [(t, v) for t, v in totals if t >= totals[-1][0] / 2]
    return {
        "samples": len(samples),
        "start_rss_mb": round(totals[0][1]),
        "end_rss_mb": round(totals[-1][1]),
        "peak_rss_mb": round(max(v for _, v in totals)),
        "peak_rss_by_server_mb": {
            label: round(max(by_server[label] for _, by_server in samples) / MB) for label in samples[0][1]
        },
        "slope_mb_per_minute": round(slope_per_minute(totals), 2),
        "second_half_slope_mb_per_minute": round(slope_per_minute(second_half), 2),
    }


def report(results: dict) -> str:
    r, m = results["run"], results["memory"]
    errors = r["errors"] if not r["error_kinds"] else f"{r['errors']} ({', '.join(r['error_kinds'])})"
    flat = m["second_half_slope_mb_per_minute"] <= FLAT_MB_PER_MINUTE
    by_server = ", ".join(f"{label} {mb} MB" for label, mb in m["peak_rss_by_server_mb"].items())
    return "\n".join(
        [
            f"{results['participants']} simulated participants in closed loop for {results['minutes']:g} minutes "
            f"(the load benchmark's conversations and client), after a {WARM_UP_SECONDS} s warm-up; RSS of the "
            f"Rasa server and the action server (process trees, summed) sampled every {results['every']:g} s.",
            "",
            "| messages | errors | messages/s | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|---|",
            f"| {r['messages']} | {errors} | {r['messages_per_second']:.1f} | {r.get('p50_ms', '–')} "
            f"| {r.get('p95_ms', '–')} | {r.get('p99_ms', '–')} | {r.get('max_ms', '–')} |",
            "",
            "| RSS at start | at end | peak | slope, whole run | slope, second half |",
            "|---|---|---|---|---|",
            f"| {m['start_rss_mb']} MB | {m['end_rss_mb']} MB | {m['peak_rss_mb']} MB "
            f"| {m['slope_mb_per_minute']:+.2f} MB/min | {m['second_half_slope_mb_per_minute']:+.2f} MB/min |",
            "",
            f"Peak by server: {by_server}. Memory is "
            f"{'flat' if flat else '**not flat**'} (second-half slope "
            f"{'≤' if flat else '>'} {FLAT_MB_PER_MINUTE:g} MB/min); errors: "
            f"{'none' if not r['errors'] else '**' + str(r['errors']) + '**'}. "
            f"Load average at start {results['load_average_start']}, at end {results['load_average_end']} "
            f"(1, 5, 15 min; 2 cores; the client runs on the same cores).",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--every", type=float, default=5, help="seconds between memory samples")
    parser.add_argument("--no-report", action="store_true", help="write the JSON only, not BENCHMARKS.md")
    args = parser.parse_args()
    from bot.content.store import load
    from bot.rasa import training

    model = training.train(load(ROOT / "content"))
    results: dict = {
        "measured": datetime.datetime.now().isoformat(timespec="seconds"),
        "participants": args.participants,
        "minutes": args.minutes,
        "every": args.every,
        "load_average_start": load_average(),
    }
    print("Hälsolotsen: starting", flush=True)
    with servers.ours(model) as running:
        conversations = OurConversations()
        client.load(running.url, conversations.next, 2, WARM_UP_SECONDS)
        print(f"soak: {args.participants} participants for {args.minutes:g} minutes", flush=True)
        with servers.MemorySampler(running, every_seconds=args.every) as memory:
            run = client.load(running.url, conversations.next, args.participants, args.minutes * 60)
        samples = list(memory.samples)
    results["load_average_end"] = load_average()
    results["run"] = run.summary()
    results["memory"] = memory_figures(samples)
    start_time = samples[0][0]
    results["memory_samples_mb"] = [
        {"seconds": round(t - start_time, 1), **{k: round(v / MB, 1) for k, v in by_server.items()}}
        for t, by_server in samples
    ]
    out = ROOT / "bench" / "results" / "soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"Raw figures: {out.relative_to(ROOT)}")
    text = report(results)
    if not args.no_report:
        update_section(ROOT / "BENCHMARKS.md", "soak", "Soak: memory over time (`bench/soak.py`)", text)
    print(text)


if __name__ == "__main__":
    main()
