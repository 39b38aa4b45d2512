"""Builds and runs the Telegram front end:  `python -m bot telegram`.

Reads like python-telegram-bot's examples: one `Application`, handlers registered in one place.
Needs TELEGRAM_BOT_TOKEN; TELEGRAM_API_URL points it at another Bot API server (self-hosted, or
the fake one in tests). Long polling by default; set TELEGRAM_WEBHOOK_URL for webhook mode.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import ops, runtime
from bot.assistant_client import AssistantClient
from bot.audio.library import AudioIndex
from bot.content.store import ContentStore
from bot.languages import SOURCE_LANGUAGE
from bot.settings import AUDIO_DIR, CONTENT_DIR, DATABASE_URL, OPS_HOST, PUBLIC_URL, RASA_URL, TELEGRAM_OPS_PORT
from bot.telegram import redact
from bot.telegram.config import TelegramConfig
from bot.telegram.delivery import Delivery
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers import ALIASES, COMMANDS, FrontEnd
from bot.telegram.relay import Relay

logger = logging.getLogger(__name__)

# How often python-telegram-bot retries a request Telegram answered with 429 Too Many Requests.
RETRIES_AFTER_TOO_MANY_REQUESTS = 3


def build(config: TelegramConfig, rasa_url: str = RASA_URL, content: ContentStore | None = None) -> Application:
    application = (
        Application.builder()
        .token(config.token)
        .base_url(config.api_url)
        .base_file_url(config.file_url)
        .rate_limiter(AIORateLimiter(max_retries=RETRIES_AFTER_TOO_MANY_REQUESTS))
        .concurrent_updates(True)
        .post_init(_start)
        .post_shutdown(_close)
        .build()
    )
    front = FrontEnd(
        content or ContentStore(CONTENT_DIR),
        AudioIndex(AUDIO_DIR, PUBLIC_URL),
        AssistantClient(rasa_url, channel="telegram"),
        Delivery(application.bot, httpx.AsyncClient(timeout=10)),
        FloodGuard(config.messages_per_minute),
    )
    application.bot_data["front"] = front
    application.bot_data["relay"] = Relay(
        front.content, front.audio, front.delivery, config.coordinator_chat, PUBLIC_URL
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", front.start, filters=private))
    data = [name for name in (*COMMANDS, *ALIASES) if ALIASES.get(name, name) == "radera"]
    application.add_handler(CommandHandler(data, front.show_data, filters=private))
    others = [name for name in (*COMMANDS, *ALIASES) if ALIASES.get(name, name) not in ("start", "radera")]
    application.add_handler(CommandHandler(others, front.command, filters=private))
    # After the commands we have: any other command (/foo…) gets help instead of silence.
    application.add_handler(MessageHandler(private & filters.COMMAND, front.unknown_command))
    application.add_handler(CallbackQueryHandler(front.tap))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, front.text))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, front.not_text))
    application.add_error_handler(front.on_error)
    return application


async def _start(application: Application) -> None:
    """Sets the command menu, then starts carrying coordinators' messages to participants."""
    await _set_commands(application)
    relay: Relay = application.bot_data["relay"]
    application.bot_data["relay_task"] = asyncio.create_task(relay.forever())


async def _set_commands(application: Application) -> None:
    """The command menu in each language; Telegram shows the one matching the phone's language."""
    front: FrontEnd = application.bot_data["front"]
    content = front.content.get()
    for lang in content.languages():
        commands = [BotCommand(name, content.ui_text(key, lang)) for name, (_, key) in COMMANDS.items()]
        await application.bot.set_my_commands(commands, language_code=lang)
        if lang == SOURCE_LANGUAGE:
            await application.bot.set_my_commands(commands)


async def _close(application: Application) -> None:
    application.bot_data["relay_task"].cancel()
    front: FrontEnd = application.bot_data["front"]
    await front.assistant.close()
    await front.delivery.close()


def readiness_checks(application: Application, rasa_url: str = RASA_URL) -> dict[str, ops.Check]:
    """Receiving updates, and what answering them needs: Rasa, content, the database, audio."""
    front: FrontEnd = application.bot_data["front"]

    def receiving() -> None:
        if not application.running:
            raise ops.NotReadyError("not started")

    return {
        "telegram": receiving,
        "rasa": ops.rasa(rasa_url),
        "content": ops.content(lambda: front.content),
        "database": ops.database(DATABASE_URL),
        "audio": ops.audio(AUDIO_DIR),
    }


def run(config: TelegramConfig, ops_port: int = TELEGRAM_OPS_PORT) -> None:
    """Runs until stopped: long polling, or a webhook server when TELEGRAM_WEBHOOK_URL is set; its
    health, readiness and metrics on the operations port (bot/ops.py)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logger.info(runtime.describe("Telegram front end"))
    redact.install(config.token)
    application = build(config)
    ops.serve("Telegram front end", OPS_HOST, ops_port, readiness_checks(application))
    if config.webhook_url:
        application.run_webhook(
            listen=config.webhook_listen,
            port=config.webhook_port,
            url_path=config.webhook_path,
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
