"""Every setting the assistant reads from the environment, in one list, checked when a process starts.

A wrong value (a port that is not a number, a retention of -1 days) stops the process at once with
one line naming the variable and what is wrong, instead of a traceback later or a silent default.
docs/operators.md, "Settings", lists the same variables with the same defaults
(tests/unit/test_settings.py compares them). Adding a setting is one line in `Settings`; code then
imports it by name (`from bot.settings import WEB_PORT`), and the operators' table gets its row.

pydantic 1.10's `BaseSettings` does the reading and checking: it is in both runtimes already
(Rasa pins pydantic 1.10 on Python 3.10; .venv-web has the same line), and `pydantic-settings`
needs pydantic 2. Secrets are `SecretStr`, so they never appear in a repr, a log or an error.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseSettings, Field, SecretStr, ValidationError, root_validator, validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
PORT = {"ge": 1, "le": 65535}


class Settings(BaseSettings):
    """Field name: how code imports it. `env`: the variable. The order matters where a default is
    made from an earlier value (the URLs from the ports, the database from the var folder)."""

    CONTENT_DIR: Path = Field(PROJECT_ROOT / "content", env="HALSOLOTSEN_CONTENT")
    VAR_DIR: Path = Field(PROJECT_ROOT / "var", env="HALSOLOTSEN_VAR")
    MODELS_DIR: Path = Field(PROJECT_ROOT / "models", env="HALSOLOTSEN_MODELS")
    WEB_PORT: int = Field(8080, env="HALSOLOTSEN_WEB_PORT", **PORT)
    PUBLIC_URL: AnyHttpUrl = Field(None, env="HALSOLOTSEN_PUBLIC_URL")  # http://localhost:<WEB_PORT>
    # In production the web server refuses to start unless PUBLIC_URL is https (localhost excepted).
    PRODUCTION: bool = Field(False, env="HALSOLOTSEN_PRODUCTION")
    TTS: Literal["auto", "espeak", "gtts"] = Field("auto", env="HALSOLOTSEN_TTS")
    # Each ffmpeg run is stopped after FFMPEG_SECONDS; the web server converts at most FFMPEG_AT_ONCE
    # recordings at a time, and a recording waits FFMPEG_QUEUE_SECONDS for a free converter.
    FFMPEG_SECONDS: float = Field(120, env="HALSOLOTSEN_FFMPEG_SECONDS", gt=0)
    FFMPEG_AT_ONCE: int = Field(2, env="HALSOLOTSEN_FFMPEG_AT_ONCE", ge=1)
    FFMPEG_QUEUE_SECONDS: float = Field(10, env="HALSOLOTSEN_FFMPEG_QUEUE_SECONDS", ge=0)
    RASA_PORT: int = Field(5005, env="RASA_PORT", **PORT)
    ACTIONS_PORT: int = Field(5055, env="ACTIONS_PORT", **PORT)
    # Where Rasa and the action server listen: loopback on one machine; the compose file widens it.
    INTERNAL_HOST: str = Field("127.0.0.1", env="HALSOLOTSEN_INTERNAL_HOST")
    RASA_URL: AnyHttpUrl = Field(None, env="HALSOLOTSEN_RASA_URL")  # http://localhost:<RASA_PORT>
    # Per client address on the web server (bot/web/limits.py); X-Forwarded-For only from TRUSTED_PROXIES.
    CHAT_MESSAGES_PER_MINUTE: int = Field(120, env="HALSOLOTSEN_CHAT_MESSAGES_PER_MINUTE", ge=1)
    CHAT_REQUESTS_PER_HOUR: int = Field(10, env="HALSOLOTSEN_CHAT_REQUESTS_PER_HOUR", ge=1)
    # Proxies whose X-Forwarded-For names the client (bot/web/http.py): addresses or networks,
    # comma-separated. Loopback covers nginx on the same machine; compose adds its private network.
    TRUSTED_PROXIES: str = Field("127.0.0.1/8,::1", env="HALSOLOTSEN_TRUSTED_PROXIES")
    MAX_MESSAGE_CHARS: int = Field(1000, env="HALSOLOTSEN_MAX_MESSAGE_CHARS", ge=1)
    DATABASE_URL: str = Field(None, env="HALSOLOTSEN_DATABASE_URL")  # sqlite:///<VAR_DIR>/halsolotsen.db
    CONVERSATION_RETENTION_HOURS: float = Field(24, env="HALSOLOTSEN_RETENTION_HOURS", gt=0)
    HANDOFF_RETENTION_DAYS: int = Field(30, env="HALSOLOTSEN_HANDOFF_RETENTION_DAYS", ge=1)
    INSIGHTS_RETENTION_DAYS: int = Field(90, env="HALSOLOTSEN_INSIGHTS_RETENTION_DAYS", ge=0)
    # The funder's daily counts (usage_counts: no identity) are deleted after this many days.
    USAGE_RETENTION_DAYS: int = Field(1100, env="HALSOLOTSEN_USAGE_RETENTION_DAYS", ge=1)
    # The audit log (who looked at or changed which request, logins) is deleted after this many days.
    AUDIT_RETENTION_DAYS: int = Field(365, env="HALSOLOTSEN_AUDIT_RETENTION_DAYS", ge=1)
    # A coordinator page's login ends after this many minutes without the person doing anything
    # there (the page's own refreshing does not count), and after SESSION_HOURS in any case.
    SESSION_IDLE_MINUTES: int = Field(30, env="HALSOLOTSEN_SESSION_IDLE_MINUTES", ge=1)
    # A group notice is deleted after this many hours (Telegram lets a bot delete its messages for 48).
    GROUP_NOTICE_HOURS: float = Field(24, env="HALSOLOTSEN_GROUP_NOTICE_HOURS", gt=0, le=47)
    # Operations ports (health, readiness, metrics: bot/ops.py), on loopback unless told otherwise.
    OPS_HOST: str = Field("127.0.0.1", env="HALSOLOTSEN_OPS_HOST")
    WEB_OPS_PORT: int = Field(9080, env="HALSOLOTSEN_WEB_OPS_PORT", **PORT)
    ACTIONS_OPS_PORT: int = Field(9055, env="HALSOLOTSEN_ACTIONS_OPS_PORT", **PORT)
    TELEGRAM_OPS_PORT: int = Field(9081, env="HALSOLOTSEN_TELEGRAM_OPS_PORT", **PORT)
    LOG_FORMAT: Literal["text", "json"] = Field("text", env="HALSOLOTSEN_LOG_FORMAT")
    ACCESS_LOG: bool = Field(True, env="HALSOLOTSEN_ACCESS_LOG")  # off: no access log
    # Secrets shared by every process; unset, bot/keys.py makes each once under var/keys/ (43 characters).
    HALSOLOTSEN_CHANNEL_TOKEN: SecretStr | None = Field(None, env="HALSOLOTSEN_CHANNEL_TOKEN", min_length=16)
    HALSOLOTSEN_SENDER_KEY: SecretStr | None = Field(None, env="HALSOLOTSEN_SENDER_KEY", min_length=16)
    HALSOLOTSEN_ACTION_TOKEN: SecretStr | None = Field(None, env="HALSOLOTSEN_ACTION_TOKEN", min_length=16)
    TELEGRAM_WEBHOOK_SECRET: SecretStr | None = Field(None, env="TELEGRAM_WEBHOOK_SECRET", min_length=16)
    # The Telegram front end (bot/telegram/config.py); no token, no front end.
    TELEGRAM_BOT_TOKEN: SecretStr | None = Field(None, env="TELEGRAM_BOT_TOKEN")
    TELEGRAM_API_URL: AnyHttpUrl = Field("https://api.telegram.org/bot", env="TELEGRAM_API_URL")
    TELEGRAM_FILE_URL: AnyHttpUrl = Field(None, env="TELEGRAM_FILE_URL")  # the API URL, /bot → /file/bot
    TELEGRAM_WEBHOOK_URL: AnyHttpUrl | None = Field(None, env="TELEGRAM_WEBHOOK_URL")
    TELEGRAM_WEBHOOK_LISTEN: str = Field("0.0.0.0", env="TELEGRAM_WEBHOOK_LISTEN")  # noqa: S104 - Telegram must reach it
    TELEGRAM_WEBHOOK_PORT: int = Field(8443, env="TELEGRAM_WEBHOOK_PORT", **PORT)
    TELEGRAM_MESSAGES_PER_MINUTE: int = Field(20, env="TELEGRAM_MESSAGES_PER_MINUTE", ge=1)
    TELEGRAM_COORDINATOR_CHAT_ID: int | None = Field(None, env="TELEGRAM_COORDINATOR_CHAT_ID")

    class Config:
        case_sensitive = True
        validate_all = True

    @root_validator(pre=True)
    def _empty_is_unset(cls, values: dict[str, Any]) -> dict[str, Any]:  # noqa: N805 - pydantic's classmethod
        """Compose passes an unset variable as "" (`${X:-}`): that means the default, not a value."""
        return {name: value for name, value in values.items() if not (isinstance(value, str) and not value.strip())}

    @validator("PUBLIC_URL", pre=True, always=True)
    def _public_url(cls, given: str | None, values: dict[str, Any]) -> str:  # noqa: N805
        return given or f"http://localhost:{values.get('WEB_PORT', 8080)}"

    @validator("RASA_URL", pre=True, always=True)
    def _rasa_url(cls, given: str | None, values: dict[str, Any]) -> str:  # noqa: N805
        return given or f"http://localhost:{values.get('RASA_PORT', 5005)}"

    @validator("DATABASE_URL", pre=True, always=True)
    def _database_url(cls, given: str | None, values: dict[str, Any]) -> str:  # noqa: N805
        return given or f"sqlite:///{values.get('VAR_DIR', PROJECT_ROOT / 'var') / 'halsolotsen.db'}"

    @validator("TELEGRAM_FILE_URL", pre=True, always=True)
    def _file_url(cls, given: str | None, values: dict[str, Any]) -> str:  # noqa: N805
        return given or str(values.get("TELEGRAM_API_URL", "")).replace("/bot", "/file/bot", 1)

    @validator("TRUSTED_PROXIES")
    def _networks(cls, given: str) -> str:  # noqa: N805
        """Each part an address or network (bot/web/limits.py reads them), so a typo stops the start."""
        for part in filter(None, (part.strip() for part in given.split(","))):
            ipaddress.ip_network(part, strict=False)  # ValueError: pydantic reports it for the variable
        return given

    @validator("PUBLIC_URL", "RASA_URL", "TELEGRAM_API_URL", "TELEGRAM_FILE_URL", "TELEGRAM_WEBHOOK_URL")
    def _plain_text(cls, url: AnyHttpUrl | None) -> str | None:  # noqa: N805
        """Checked as a URL, kept as the text given: a str subclass surprises YAML and JSON writers."""
        return None if url is None else str(url)


def variable(field_name: str) -> str:
    """The environment variable of a field."""
    return Settings.__fields__[field_name].field_info.extra["env"]


class SettingsError(SystemExit):
    """Raised at start: exits with the message, and no traceback, from any command or server."""


def load() -> Settings:
    """The settings from the environment, or SettingsError naming each wrong variable."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def describe(error: ValidationError) -> str:
    """One line per wrong variable: its name, the value given (never a secret's) and what is wrong."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0])
        if field not in Settings.__fields__:
            lines.append(f"  {problem['msg']}")
            continue
        name = variable(field)
        secret = issubclass(Settings.__fields__[field].type_, SecretStr)  # a constrained subclass too
        given = "" if secret else f"={os.environ.get(name, '')!r}"
        lines.append(f"  {name}{given}: {problem['msg']}")
    return "\n".join(
        [f'Hälsolotsen cannot start: {len(lines)} setting(s) wrong (docs/operators.md, "Settings").', *lines]
    )


SETTINGS = load()
AUDIO_DIR = SETTINGS.VAR_DIR / "audio"
TRACKER_DB = SETTINGS.VAR_DIR / "tracker.db"


def __getattr__(name: str) -> object:
    """`from bot.settings import WEB_PORT`: every setting by its field name (PEP 562)."""
    if name in Settings.__fields__:
        return getattr(SETTINGS, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
