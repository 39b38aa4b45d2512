"""Latency percentiles and throughput of one measured run: the arithmetic, kept apart so it is tested."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks.

    The same definition as numpy's default ("linear"), so figures can be checked with any tool;
    with one value every percentile is that value.
    """
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(latencies: Sequence[float], errors: int, seconds: float) -> dict[str, float | int]:
    """Messages per second and latency percentiles (ms) of a run that answered `latencies` (s) in `seconds`."""
    answered = len(latencies)
    result: dict[str, float | int] = {
        "messages": answered + errors,
        "answered": answered,
        "errors": errors,
        "seconds": round(seconds, 2),
        "messages_per_second": round(answered / seconds, 2) if seconds > 0 else 0.0,
    }
    if latencies:
        result.update(
            {f"p{q}_ms": round(percentile(latencies, q) * 1000, 1) for q in (50, 95, 99)}
            | {"max_ms": round(max(latencies) * 1000, 1)}
        )
    return result


def slope_per_minute(samples: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) samples, per minute: how fast memory grows in a soak."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_v = sum(v for _, v in samples) / n
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    if spread == 0:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in samples) / spread * 60
