"""Keeps what participants write out of the logs of the Rasa server and the action server.

Health questions are a special category of personal data, and logs are kept, copied and read far
more widely than the tracker store. Our own code never logs message texts; Rasa 3.6 and rasa-sdk
do, at their default levels:
- a message that starts with "/" but is not a valid payload: Rasa's `warnings` warning
  "Failed to parse arguments in line '<the message>'…" and its structlog event
  `message.parsing.failed` with `user_text`;
- a custom action that fails: rasa-sdk answers with the whole tracker (`request_body`), Rasa logs
  a traceback whose `ClientResponseError` holds that answer, and logs a 400's reason as it is;
- any logged traceback (Rasa's, rasa-sdk's, Sanic's, ours): an exception's message can quote the
  conversation (a KeyError of a slot value, the parameters of a failed SQL statement).

`install()` keeps every such record, so an operator still sees what failed, where and with which
HTTP status, and replaces what may quote a conversation with REMOVED:
- tracebacks keep their frames and exception types, not the exceptions' messages (but OSError's,
  which name an address or a file, and the status of an action server's answer);
- the records above get a fixed text; Python's warnings go to the log (`logging.captureWarnings`)
  so they pass the same code, and Rasa's invalid-payload warning is shown every time instead of
  "once" per distinct text, which kept every such message in memory for good;
- structlog events keep their name and Rasa's explanation (`event_info`), no other value.

It hooks the record factory (`logging.setLogRecordFactory`), not handlers: handlers come after
our code runs (rasa-sdk adds its own after bot.rasa.action_server starts it, Rasa adds one for
`--log-file` after loading our channel), Sanic's loggers do not propagate and fall back to
`logging.lastResort`, and a filter on a logger misses its children. Every record of every logger
is made by the factory, whatever handles it later. Logging at DEBUG level still shows
conversations (Rasa logs messages and slots there): never in production.
"""

from __future__ import annotations

import logging
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import structlog

REMOVED = "[removed]"
INVALID_PAYLOAD = "Failed to parse arguments in line"  # how each of Rasa's warnings about one starts
EVENT_KEYS_KEPT = frozenset({"event", "event_info"})  # a structlog event's name and Rasa's fixed explanation
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def install() -> None:
    """Redacts every log record, warning and structlog event of this process from now on."""
    if isinstance(logging.getLogRecordFactory(), _RedactingRecordFactory):
        return
    logging.setLogRecordFactory(_RedactingRecordFactory(logging.getLogRecordFactory()))
    logging.captureWarnings(True)
    warnings.filterwarnings("always", message=INVALID_PAYLOAD, category=UserWarning)
    structlog.configure(processors=[redact_event, *structlog.get_config()["processors"]])


class _RedactingRecordFactory:
    """Makes each record as before, then redacts it: while the exception being handled where it
    was logged (`sys.exc_info()`) is still known."""

    def __init__(self, make: Callable[..., logging.LogRecord]) -> None:
        self._make = make

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self._make(*args, **kwargs)
        redact(record, sys.exc_info()[1])
        return record


def redact(record: logging.LogRecord, handled: BaseException | None = None) -> None:
    """Replaces, in place, what in `record` may quote a conversation; `handled` is the exception
    being handled where the record was logged."""
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text, record.exc_info = redacted_traceback(record.exc_info[1]), None
    text = _fixed_text(record, handled)
    if text is not None:
        record.msg, record.args = text, ()


def _fixed_text(record: logging.LogRecord, handled: BaseException | None) -> str | None:
    if record.name is None:  # logging.makeLogRecord's empty record, filled in after (structlog's JSON lines)
        return None
    if record.name == "py.warnings" and INVALID_PAYLOAD in record.getMessage():
        return f'{INVALID_PAYLOAD} {REMOVED}: a message starts with "/" but is not a valid payload.'
    if record.name.startswith("rasa.core.actions"):
        # RemoteAction logs a 400's reason, written by the action server, as it is.
        answer = next((error for error in _chain(handled) if _is_action_server_answer(error)), None)
        if answer is not None:
            return f"The action server answered HTTP {answer.status}; its answer may quote the conversation: {REMOVED}"
    if record.name == "rasa.core.processor" and str(record.msg).startswith("Circuit breaker tripped"):
        return f"Circuit breaker tripped. Stopped predicting more actions for sender {REMOVED}."
    return None


def redacted_traceback(error: BaseException) -> str:
    """The traceback Python prints, causes and contexts included, each exception's message
    replaced unless it can only be about the machine."""
    blocks: list[str] = []
    for current, link in _chain_with_links(error):
        frames = traceback.format_tb(current.__traceback__)
        header = "Traceback (most recent call last):\n" if frames else ""
        blocks.append(f"{link}{header}{''.join(frames)}{_type_name(current)}{_message(current)}\n")
    return "".join(reversed(blocks)).rstrip("\n")


def redact_event(_logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor, first in the chain: every value but the event's name and
    explanation becomes REMOVED, and a traceback is rendered here without messages."""
    exc_info = event_dict.pop("exc_info", None)
    redacted = {key: value if key in EVENT_KEYS_KEPT else REMOVED for key, value in event_dict.items()}
    if exc_info or method == "exception":
        error = _exception_of(exc_info)
        if error is not None:
            redacted["exception"] = redacted_traceback(error)
        redacted["exc_info"] = False  # so that no later processor renders the original traceback
    return redacted


def _exception_of(exc_info: Any) -> BaseException | None:
    """The exception of structlog's `exc_info`: an exception, a sys.exc_info() tuple, or True/None."""
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple):
        return exc_info[1]
    return sys.exc_info()[1]


def _chain(error: BaseException | None) -> list[BaseException]:
    return [current for current, _ in _chain_with_links(error)] if error is not None else []


def _chain_with_links(error: BaseException) -> list[tuple[BaseException, str]]:
    """`error`, then what caused it or was being handled when it was raised, and so on; each with
    the line Python prints above it."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__cause__ is not None:
            following, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            following, link = current.__context__, _CONTEXT
        else:
            following, link = None, ""
        chain.append((current, link if following is not None and id(following) not in seen else ""))
        current = following
    return chain


def _type_name(error: BaseException) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _message(error: BaseException) -> str:
    if not error.args:
        return ""
    if isinstance(error, OSError):  # a refused connection, a port in use, a missing file
        return f": {error}"
    if _is_action_server_answer(error):
        return f": HTTP {error.status}"
    return f": {REMOVED}"


def _is_action_server_answer(error: BaseException) -> bool:
    """Rasa's error for an action server's 4xx/5xx answer, which holds that answer; known by name,
    so that the action server need not import Rasa."""
    kind = type(error)
    return kind.__name__ == "ClientResponseError" and kind.__module__ == "rasa.utils.endpoints"
