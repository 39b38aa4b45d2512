"""The id under which Rasa keeps a Telegram participant's conversation.

Rasa's tracker store should not hold Telegram chat ids (they identify a person's account): the
conversation id is a keyed hash of the chat id. Only this deployment, which holds the key, can
find a participant's conversation again, which /radera needs.
"""

from __future__ import annotations

import hashlib
import hmac

from bot import keys

PREFIX = "tg-"


def conversation_id(chat_id: int, key: str | None = None) -> str:
    secret = (key or keys.shared_secret(keys.SENDER_KEY)).encode()
    return PREFIX + hmac.new(secret, f"telegram:{chat_id}".encode(), hashlib.sha256).hexdigest()[:32]
