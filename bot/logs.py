"""How the web server, the Telegram front end and the action server write their logs: plain text
(the default) or, with HALSOLOTSEN_LOG_FORMAT=json, one JSON object a line for a log collector.

The redaction is not here but where each record is made, so it holds for either format:
bot/rasa/log_privacy.py (tracebacks without exception messages, Rasa's quoting records replaced)
in every process, and the Telegram front end's token filter (bot/telegram/redact.py). JSON lines
are rendered by structlog from the finished record, so they carry the same redacted text. Every
record at ERROR or above is also counted (`halsolotsen_errors_total`, bot/metrics.py).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from bot import metrics
from bot.settings import LOG_FORMAT

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What an access-log record adds (bot/web/access_log.py); no other `extra` reaches a JSON line.
ACCESS_FIELDS = ("method", "route", "status", "duration_ms")


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        metrics.ERRORS.inc()


def _redacted_traceback(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """bot.rasa.log_privacy leaves a record's traceback, already redacted, as its text only."""
    record = event.get("_record")
    if record is not None and record.exc_text:
        event["exception"] = record.exc_text
    return event


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time (UTC), level, logger, the message and the access fields."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(ACCESS_FIELDS),
            _redacted_traceback,
            structlog.processors.format_exc_info,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
    )


def configure(log_format: str = LOG_FORMAT, level: int = logging.INFO) -> None:
    """Sends every record at `level` and above to standard error in `log_format` ("text" or
    "json"), redacted (bot.rasa.log_privacy), and counts the errors."""
    from bot.rasa import log_privacy

    log_privacy.install()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.addHandler(_ErrorCounter())
    root.setLevel(level)
