"""The id under which Rasa keeps a Telegram participant's conversation.

Rasa's tracker store should not hold Telegram chat ids (they identify a person's account): the
conversation id is a keyed hash of the chat id. Only this deployment, which holds the key, can
find a participant's conversation again, which /radera needs.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "tg-"


def conversation_id(chat_id: int, key: str) -> str:
    """`key` is the deployment's sender key (`bot.keys.SENDER_KEY`), read once by the caller."""
    return PREFIX + hmac.new(key.encode(), f"telegram:{chat_id}".encode(), hashlib.sha256).hexdigest()[:32]
