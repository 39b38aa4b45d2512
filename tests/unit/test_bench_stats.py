"""The benchmark's arithmetic: percentiles, throughput and memory slope (no timing is asserted)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.stats import percentile, slope_per_minute, summary


def test_percentiles_interpolate_like_numpy() -> None:
    values = [0.120, 0.031, 0.058, 0.250, 0.047, 0.061, 0.049, 0.900, 0.052, 0.044, 0.070]
    for q in (0, 1, 50, 90, 95, 99, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentiles_of_known_values() -> None:
    hundred_and_one = [float(i) for i in range(101)]
    assert percentile(hundred_and_one, 50) == 50
    assert percentile(hundred_and_one, 95) == 95
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([7.0], 99) == 7.0


def test_percentile_refuses_nothing_and_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_counts_errors_apart_from_answers() -> None:
    result = summary([0.1, 0.2, 0.3, 0.4], errors=1, seconds=2.0)
    assert result["messages"] == 5
    assert result["answered"] == 4
    assert result["errors"] == 1
    assert result["messages_per_second"] == 2.0  # answered messages only
    assert result["p50_ms"] == 250.0
    assert result["max_ms"] == 400.0


def test_summary_without_answers_has_no_percentiles() -> None:
    result = summary([], errors=3, seconds=1.0)
    assert result["messages_per_second"] == 0
    assert "p50_ms" not in result


def test_memory_slope_per_minute() -> None:
    growing = [(t, 500.0 + 2.0 * t) for t in range(0, 300, 5)]  # 2 MB a second
    assert slope_per_minute(growing) == pytest.approx(120.0)
    assert slope_per_minute([(t, 700.0) for t in range(10)]) == 0
    assert slope_per_minute([(0, 1.0)]) == 0
