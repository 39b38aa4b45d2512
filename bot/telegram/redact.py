"""Keeps the bot token out of every log line: it is in each Bot API URL, and URLs get logged.

httpx logs each request's URL at INFO, and an error's text may quote a URL; the token there
would let anyone who reads the logs act as the bot. This filter rewrites every record, message and
traceback alike, before any handler writes it.
"""

from __future__ import annotations

import logging

HIDDEN = "<token>"


class RedactToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = message.replace(self._token, HIDDEN), None
        return True


def install(token: str) -> None:
    """Adds the filter to every handler of the root logger (where all library loggers end up)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
