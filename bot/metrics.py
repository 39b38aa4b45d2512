"""The assistant's Prometheus metrics: one fixed list, counted where each thing happens.

Each process has its own registry and shows it at `/metrics` on its operations port (bot/ops.py):
- the front ends (web server: channel "web"; Telegram front end: "telegram") count the messages
  they pass to Rasa, by the answer's language, and how long the answer took;
- the action server counts unanswered questions ("not sure" and out of scope) and emergency
  answers, by language, and the hand-off requests participants open and book;
- the web server counts the requests coordinators book or close;
- every process counts the log records at ERROR and above (bot/logs.py).

Labels only ever take values from fixed sets (a channel, a language code of bot/languages.py, an
outcome), never an id or a text: a metric with a sender in a label would be a log of who wrote.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram, disable_created_metrics

from bot import languages

disable_created_metrics()  # no `…_created` series beside each counter: nothing here needs them

CHANNELS = ("web", "telegram", "rest")
OTHER = "other"  # a language or channel outside the fixed sets
HANDOFF_OUTCOMES = ("opened", "booked", "closed")

MESSAGES = Counter(
    "halsolotsen_messages", "Messages passed to the assistant, by channel and answer language", ["channel", "language"]
)
ANSWER_SECONDS = Histogram(
    "halsolotsen_answer_seconds",
    "Time from a message to the assistant's whole answer, as a front end sees it",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20),
)
UNANSWERED = Counter(
    "halsolotsen_unanswered",
    'Questions answered with topic suggestions: "not sure" (unsure) or out of scope, by language',
    ["language", "outcome"],
)
EMERGENCIES = Counter("halsolotsen_emergency_answers", "Emergency answers sent, by language", ["language"])
HANDOFF_REQUESTS = Counter("halsolotsen_handoff_requests", "Hand-off requests opened, booked, closed", ["outcome"])
ERRORS = Counter("halsolotsen_errors", "Log records at ERROR or above in this process")


def language(code: Any) -> str:
    """A language label: a code of bot/languages.py, else "other"."""
    return code if code in languages.LANGUAGES else OTHER


def answered(channel: str, messages: list[dict[str, Any]], seconds: float) -> None:
    """Counts one message a front end passed on, by the language its answer is in."""
    answers = messages if isinstance(messages, list) else []
    lang = next((m.get("custom", {}).get("lang") for m in answers if isinstance(m, dict)), None)
    channel = channel if channel in CHANNELS else OTHER
    MESSAGES.labels(channel, language(lang)).inc()
    ANSWER_SECONDS.labels(channel).observe(seconds)


def handoff(outcome: str) -> None:
    """Counts a hand-off request reaching `outcome` (one of HANDOFF_OUTCOMES)."""
    HANDOFF_REQUESTS.labels(outcome if outcome in HANDOFF_OUTCOMES else OTHER).inc()
