"""The front end's settings, from the environment through bot/settings.py; the token is only ever read from there."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from bot import keys
from bot.settings import SETTINGS

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
    if SETTINGS.TELEGRAM_BOT_TOKEN is None:
        return None
    return TelegramConfig(
        token=SETTINGS.TELEGRAM_BOT_TOKEN.get_secret_value().strip(),
        api_url=SETTINGS.TELEGRAM_API_URL,
        file_url=SETTINGS.TELEGRAM_FILE_URL,
        webhook_url=SETTINGS.TELEGRAM_WEBHOOK_URL,
        webhook_listen=SETTINGS.TELEGRAM_WEBHOOK_LISTEN,
        webhook_port=SETTINGS.TELEGRAM_WEBHOOK_PORT,
        # Telegram sends it with every update, so nobody else can post fake updates to the webhook.
        webhook_secret=keys.shared_secret(keys.WEBHOOK_SECRET) if SETTINGS.TELEGRAM_WEBHOOK_URL else "",
        messages_per_minute=SETTINGS.TELEGRAM_MESSAGES_PER_MINUTE,
        coordinator_chat=SETTINGS.TELEGRAM_COORDINATOR_CHAT_ID,
    )
