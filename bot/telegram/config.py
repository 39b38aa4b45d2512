"""The front end's settings, all from the environment; the token is only ever read from there."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

from bot import keys

DEFAULT_API_URL = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    # Same form as python-telegram-bot's base_url: a self-hosted Bot API server, or a fake in tests.
    api_url: str = DEFAULT_API_URL
    file_url: str = "https://api.telegram.org/file/bot"
    # Set in production to receive updates by webhook instead of long polling.
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - the webhook must be reachable by Telegram
    webhook_port: int = 8443
    webhook_secret: str = ""
    # Per participant: more messages than this per minute get a "slow down" instead of an answer.
    messages_per_minute: int = 20
    # A group chat of coordinators told about each new hand-off request (no personal data), if set.
    coordinator_chat: int | None = None

    @property
    def webhook_path(self) -> str:
        """We listen where Telegram posts: the path of the public webhook URL."""
        return urlparse(self.webhook_url or "").path.strip("/")


def from_environment() -> TelegramConfig | None:
    """The configuration, or None when no bot token is set (then there is no Telegram front end)."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return None
    api_url = os.environ.get("TELEGRAM_API_URL", DEFAULT_API_URL)
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL") or None
    return TelegramConfig(
        token=token,
        api_url=api_url,
        file_url=os.environ.get("TELEGRAM_FILE_URL", api_url.replace("/bot", "/file/bot", 1)),
        webhook_url=webhook_url,
        webhook_listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0"),  # noqa: S104
        webhook_port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
        # Telegram sends it with every update, so nobody else can post fake updates to the webhook.
        webhook_secret=keys.shared_secret(keys.WEBHOOK_SECRET) if webhook_url else "",
        messages_per_minute=int(os.environ.get("TELEGRAM_MESSAGES_PER_MINUTE", "20")),
        coordinator_chat=int(group) if (group := os.environ.get("TELEGRAM_COORDINATOR_CHAT_ID", "").strip()) else None,
    )
