"""The Telegram front end's parts that need no network: buttons, ids, flood limit, token hiding."""

from __future__ import annotations

import asyncio
import logging

from bot.telegram.conversation_id import conversation_id
from bot.telegram.delivery import keyboard
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.redact import RedactToken

TOKEN = "987654:very-secret"


def test_buttons_become_one_inline_button_per_row_carrying_the_rasa_payload() -> None:
    message = {
        "text": "x",
        "buttons": [{"title": "Sömn", "payload": '/show{"item":"somn"}'}, {"title": "Meny", "payload": "/menu"}],
    }
    rows = keyboard(message).inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("Sömn", '/show{"item":"somn"}')],
        [("Meny", "/menu")],
    ]
    assert keyboard({"text": "x", "buttons": []}) is None


def test_a_payload_longer_than_telegram_allows_is_left_out_not_sent_broken() -> None:
    long_payload = '/show{"item":"' + "a" * 60 + '"}'
    buttons = [{"title": "Lång", "payload": long_payload}, {"title": "Meny", "payload": "/menu"}]
    message = {"text": "x", "buttons": buttons}
    assert [row[0].text for row in keyboard(message).inline_keyboard] == ["Meny"]


def test_conversation_ids_hide_the_chat_id_and_depend_on_the_key() -> None:
    first = conversation_id(123456789, key="a")
    assert first == conversation_id(123456789, key="a")
    assert "123456789" not in first
    assert first != conversation_id(123456789, key="b")
    assert first != conversation_id(123456780, key="a")


def test_flood_guard_answers_up_to_the_limit_then_says_slow_down_once() -> None:
    async def verdicts() -> list[Verdict]:
        guard = FloodGuard(per_minute=3)
        mine = [await guard.admit(1) for _ in range(5)]
        return [*mine, await guard.admit(2)]

    assert asyncio.run(verdicts()) == [Verdict.ANSWER] * 3 + [Verdict.SLOW_DOWN, Verdict.IGNORE, Verdict.ANSWER]


def test_the_token_is_hidden_in_messages_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError as error:
        record = logging.LogRecord(
            "httpx",
            logging.ERROR,
            __file__,
            1,
            "HTTP Request: %s",
            (f"bot{TOKEN}/getMe",),
            (type(error), error, error.__traceback__),
        )
    RedactToken(TOKEN).filter(record)
    written = logging.Formatter().format(record)
    assert TOKEN not in written
    assert "bot<token>/getMe" in written and "bot<token>/sendMessage failed" in written
