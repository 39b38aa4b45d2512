"""Rasa's REST channel at its usual address (POST /webhooks/rest/webhook), with three changes.

- One message per answer: Rasa's collector splits an answer into a text message, a separate
  `custom` message and a message per paragraph; channels then cannot tell which language,
  direction or audio belongs to which text. Here text, buttons and `custom` stay together.
- Nothing the participant wrote reaches the logs, also when handling a message fails.
- A request without a text message gets a 400 with a reason instead of an error inside Rasa.

It also lets a channel show a participant what is stored about them and delete it
(`GET`/`DELETE /webhooks/rest/conversations/<sender>`). Only our own channels may: they send the
shared channel token (bot.keys), which participants never see.
"""

from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import keys, stored_conversation

logger = logging.getLogger(__name__)

MESSAGE_FIELDS = ("text", "buttons", "image", "attachment", "custom")


class WholeAnswerCollector(CollectingOutputChannel):
    """Collects each answer as one message: text, buttons and custom payload together."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        whole = {key: message[key] for key in MESSAGE_FIELDS if message.get(key) is not None}
        await self._persist_message({"recipient_id": recipient_id, **whole})


class WholeAnswerRestInput(RestInput):
    """Named "rest", so it answers at Rasa's default REST address."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("halsolotsen_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json if isinstance(request.json, dict) else {}
            except InvalidUsage:
                body = {}
            text, sender = body.get("message"), body.get("sender")
            if not isinstance(text, str) or not isinstance(sender, str) or not sender:
                return response.json({"error": 'Send JSON: {"sender": "<id>", "message": "<text>"}.'}, status=400)
            collector = WholeAnswerCollector()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=self.get_metadata(request))
                )
            except CancelledError:
                logger.error("Handling a message took too long; the client got the answers so far.")
            except Exception:
                logger.exception("Handling a message failed; the client got the answers so far.")
            return response.json(collector.messages)

        @webhook.route("/conversations/<sender>", methods=["GET", "DELETE"])
        async def conversation(request: Request, sender: str) -> HTTPResponse:
            if not _is_our_channel(request):
                return response.json({"error": "This needs the channel token."}, status=401)
            agent = request.app.ctx.agent
            if request.method == "GET":
                return response.json((await stored_conversation.summary(agent, sender)).as_json())
            try:
                deleted = await stored_conversation.delete(agent, sender)
            except NotImplementedError as error:
                return response.json({"error": str(error)}, status=501)
            logger.info("Deleted a conversation at the participant's request (%d events).", deleted)
            return response.json({"deleted": deleted})

        return webhook


def _is_our_channel(request: Request) -> bool:
    expected = f"Bearer {keys.shared_secret(keys.CHANNEL_TOKEN)}"
    return hmac.compare_digest(request.headers.get("authorization", ""), expected)
