"""The benchmarks' summaries of raw measurements: py-spy stacks, memory samples, fallback rules (no timing asserted)."""

from __future__ import annotations

import pytest

from bench.profiling import package, summarise
from bench.soak import MB, memory_figures
from bench.understanding import FALLBACK
from bench.unsure import score

TRUNK = "_run_module_as_main (runpy.py:196);serve (sanic/server/runners.py:155)"
RAW = "\n".join(
    [
        f"{TRUNK};handle (rasa/core/processor.py:10);validate (jsonschema/validators.py:1064) 6",
        f"{TRUNK};handle (rasa/core/processor.py:10);receive (bot/rasa/channel.py:79);fold (bot/nlu/normalize.py:5) 3",
        f"{TRUNK};handle (rasa/core/processor.py:12) 1",
        f"{TRUNK} 50",  # the event loop itself: waiting
        "_bootstrap (threading.py:973);_worker (concurrent/futures/thread.py:81) 40",  # a worker waiting
        "not a stack line",
    ]
)


def test_package_is_the_first_part_of_py_spys_path() -> None:
    assert package("jsonschema/validators.py") == "jsonschema"
    assert package("bot/rasa/channel.py") == "bot"
    assert package("json/encoder.py") == "json"
    assert package("pathlib.py") == "pathlib"
    assert package("/x/lib/python3.10/site-packages/rasa/core/agent.py") == "rasa"


def test_profile_shares_leave_out_waiting_and_count_callers_once() -> None:
    summary = summarise(RAW)
    assert summary["busy_samples"] == 10
    assert summary["waiting_samples"] == 90
    assert dict(summary["self_by_package_percent"]) == {"jsonschema": 60.0, "bot": 30.0, "rasa": 10.0}
    assert dict(summary["self_by_function_percent"])["validate (jsonschema/validators.py)"] == 60.0
    totals = dict(summary["total_by_function_percent"])
    assert "handle (rasa/core/processor.py)" not in totals  # in every busy sample: the trunk
    assert "_run_module_as_main (runpy.py)" not in totals
    assert totals["validate (jsonschema/validators.py)"] == 60.0
    assert dict(summary["our_code_total_percent"]) == {
        "receive (bot/rasa/channel.py)": 30.0,
        "fold (bot/nlu/normalize.py)": 30.0,
    }


def test_profile_of_nothing_busy_has_no_shares() -> None:
    summary = summarise(f"{TRUNK} 5")
    assert summary["busy_samples"] == 0
    assert summary["self_by_package_percent"] == []


def test_soak_memory_start_end_peak_and_slopes() -> None:
    # 10 minutes, a sample a minute: the action server flat at 200 MB, Rasa growing 1 MB a minute
    # in the first half and flat after it.
    samples = [(60.0 * m, {"action server": 200 * MB, "Rasa server": (600 + min(m, 5)) * MB}) for m in range(11)]
    figures = memory_figures(samples)
    assert figures["samples"] == 11
    assert figures["start_rss_mb"] == 800
    assert figures["end_rss_mb"] == 805
    assert figures["peak_rss_mb"] == 805
    assert figures["peak_rss_by_server_mb"] == {"action server": 200, "Rasa server": 605}
    assert figures["slope_mb_per_minute"] > 0
    assert figures["second_half_slope_mb_per_minute"] == pytest.approx(0)


def test_a_fallback_rule_changes_only_the_not_sure_answers_it_accepts() -> None:
    rows = [
        {"lang": "ar", "intent": "ask_a", "answer": FALLBACK, "top": "ask_a", "lead": 3.0},  # needless "not sure"
        {"lang": "ar", "intent": "ask_b", "answer": FALLBACK, "top": "ask_c", "lead": 3.0},  # would be wrong
        {"lang": "ar", "intent": "ask_d", "answer": FALLBACK, "top": "ask_d", "lead": 1.1},  # rule declines
        {"lang": "so", "intent": "ask_e", "answer": "ask_akut_112", "top": "ask_e", "lead": 3.0},  # emergency stays
    ]
    scores = score(rows, lambda row: row["lead"] >= 2.0)
    assert scores["ar"] == {
        "accuracy": 0.333,
        "not_sure": 0.333,
        "confident_errors": 0.333,
        "answered_right": 1,
        "answered_wrong": 1,
    }
    assert scores["so"]["confident_errors"] == 1.0  # the assistant's own answer, not the rule's
    assert scores["all"]["answered_right"] == 1
