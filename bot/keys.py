"""Secrets the assistant's processes share: given by environment in production, made once otherwise.

On one machine nobody should have to invent a secret before the first start, so a missing one is
generated into `var/keys/` (readable by this user only) by whichever process needs it first. On
several machines every process must see the same value: set the environment variable.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from pathlib import Path

from bot.settings import SETTINGS

# Lets the channels read and delete one participant's stored conversation in Rasa.
CHANNEL_TOKEN = "HALSOLOTSEN_CHANNEL_TOKEN"  # noqa: S105 - the variable's name, not its value
# Rasa sends it with every action call (endpoints.yml); the action server refuses calls without it.
ACTION_TOKEN = "HALSOLOTSEN_ACTION_TOKEN"  # noqa: S105 - the variable's name, not its value
# Turns a Telegram chat id into a conversation id that means nothing outside this deployment.
SENDER_KEY = "HALSOLOTSEN_SENDER_KEY"
# Telegram sends it with every webhook update; updates without it are refused.
WEBHOOK_SECRET = "TELEGRAM_WEBHOOK_SECRET"  # noqa: S105 - the variable's name, not its value


def shared_secret(name: str, folder: Path | None = None) -> str:
    """The secret from the environment (bot/settings.py), else from `var/keys/<name>`, made there if missing."""
    given = getattr(SETTINGS, name)
    if given is not None:
        return given.get_secret_value()
    path = (folder or SETTINGS.VAR_DIR / "keys") / name.lower()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii")


def same_secret(given: str, expected: str) -> bool:
    """Compares a secret from a request with ours in constant time. A header may hold any
    character, and `hmac.compare_digest` refuses a str that is not ASCII (a 500 the hostile-input
    run found), so both are compared as bytes."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def _read_when_written(path: Path) -> str:
    """Another process may have created the file a moment ago and not yet written it."""
    for _ in range(100):
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty; delete it and start again.")
