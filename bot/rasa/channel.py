"""Rasa's REST channel at its usual address (POST /webhooks/rest/webhook), with three changes.

- One message per answer: Rasa's collector splits an answer into a text message, a separate
  `custom` message and a message per paragraph; channels then cannot tell which language,
  direction or audio belongs to which text. Here text, buttons and `custom` stay together.
- Nothing the participant wrote reaches the logs, also when handling a message fails.
- A request without a text message gets a 400 with a reason instead of an error inside Rasa.
  Half of a surrogate pair in the message becomes U+FFFD (bot.web.well_formed), so nothing after
  the channel (tracker, hand-off tables, actions) meets text it cannot store.

While a coordinator has the conversation (bot.handoff), what the participant writes goes to the
coordinator and the bot stays quiet; an emergency is still answered, asking in words to delete
their data or to go back to the bot is answered too, and any button takes the participant back
to the bot. This is the one place every channel passes, so no channel can miss it.

`GET /webhooks/rest/ready` is the Rasa server's readiness (bot/ops.py has the other processes'):
200 once the model is loaded and the project's database answers, else 503 saying which is not.
Rasa's own `/status` would need `--enable-api`, which opens its whole HTTP API (trackers, model
replacement) on that port; this needs nothing opened.

It also lets a channel show a participant what is stored about them and delete it
(`GET`/`DELETE /webhooks/rest/conversations/<sender>`). Only our own channels may: they send the
shared channel token (bot.keys), which participants never see.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import keys, ops
from bot.content.store import shared_store
from bot.handoff import participants
from bot.rasa import action_response_check, log_privacy, stored_conversation
from bot.settings import CONTENT_DIR, DATABASE_URL, MAX_MESSAGE_CHARS
from bot.storage.database import run
from bot.web.well_formed import is_well_formed, repaired

logger = logging.getLogger(__name__)
# Every Rasa server we run loads this channel, after Rasa has set up its logging.
action_response_check.install()
log_privacy.install()

# Intents the bot answers even while a coordinator has the conversation; sure ones only, so a
# message meant for the coordinator is not taken for them. With the one-vs-rest n-gram stage
# (config.yml), whose probabilities are less peaked, 0.6 takes 42 of the 56 held-out requests to
# delete data or go back to the bot and none of the 2,079 other held-out messages (0.8 took 17;
# with the earlier L-BFGS stage 0.8 took 32, also none of the others).
BOT_ALSO_ANSWERS = ("delete_data", "back_to_bot")
BOT_ALSO_ANSWERS_CONFIDENCE = 0.6
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

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """Only the web server's flag that this client may make no new hand-off request now
        (bot.web.limits); nothing else a client sends reaches the tracker."""
        metadata = request.json.get("metadata") if isinstance(request.json, dict) else None
        if isinstance(metadata, dict) and metadata.get(participants.NO_NEW_REQUEST) is True:
            return {participants.NO_NEW_REQUEST: True}
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("halsolotsen_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = request.app.ctx.agent
            checks = {"model": lambda: _model_loaded(agent), "database": ops.database(DATABASE_URL)}
            is_ready, results = await run(ops.readiness, checks)
            return response.json(
                {"status": "ready" if is_ready else "unready", "checks": results}, status=200 if is_ready else 503
            )

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json if isinstance(request.json, dict) else {}
            except InvalidUsage:
                body = {}
            text, sender = body.get("message"), body.get("sender")
            if not isinstance(text, str) or not isinstance(sender, str) or not sender or not is_well_formed(sender):
                return response.json({"error": 'Send JSON: {"sender": "<id>", "message": "<text>"}.'}, status=400)
            text = repaired(text)
            if await _passed_to_coordinator(request.app.ctx.agent, sender, text):
                return response.json([])
            collector = WholeAnswerCollector()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=self.get_metadata(request))
                )
            except CancelledError:
                logger.error("Handling a message took too long; the client got the answers so far.")
            except Exception:
                logger.exception("Handling a message failed; the client got the answers so far.")
            if any(message.get("custom", {}).get("forget") for message in collector.messages):
                await stored_conversation.delete(request.app.ctx.agent, sender)
            return response.json(collector.messages)

        @webhook.route("/conversations/<sender>", methods=["GET", "DELETE"])
        async def conversation(request: Request, sender: str) -> HTTPResponse:
            if not _is_our_channel(request):
                return response.json({"error": "This needs the channel token."}, status=401)
            agent = request.app.ctx.agent
            if request.method == "GET":
                summary = (await stored_conversation.summary(agent, sender)).as_json()
                return response.json({**summary, "handoff_requests": await run(participants.count, sender)})
            try:
                deleted = await stored_conversation.delete(agent, sender)
            except NotImplementedError as error:
                return response.json({"error": str(error)}, status=501)
            await run(participants.delete_all, sender)
            logger.info("Deleted a conversation at the participant's request (%d events).", deleted)
            return response.json({"deleted": deleted})

        return webhook


_content = shared_store(CONTENT_DIR)


async def _passed_to_coordinator(agent: Agent, sender: str, text: str) -> bool:
    """True if a coordinator has this conversation and gets this message instead of the bot.

    Buttons (payloads) return the participant to the bot, except choosing a proposed time.
    An emergency, or asking in words to delete one's data or to go back to the bot, goes to the
    coordinator and is answered by the bot as well: those must work whoever has the conversation.
    """
    # On the event loop, not in a thread: one indexed read (0.1 ms on SQLite in WAL mode, where
    # readers never wait for a writer), cheaper than the hop to a thread, as Rasa's own tracker
    # store reads on the loop too.
    request_id = participants.live_request(sender)
    if request_id is None or len(text) > MAX_MESSAGE_CHARS:
        return False
    if text.startswith("/"):
        if not text.startswith("/choose"):
            await run(participants.return_to_bot, sender)
        return False
    await run(participants.add_message, request_id, text)
    if _content.get().urgent_item(text) is not None:
        return False
    intent = (await agent.parse_message(text)).get("intent") or {}
    return not (intent.get("name") in BOT_ALSO_ANSWERS and intent.get("confidence", 0.0) >= BOT_ALSO_ANSWERS_CONFIDENCE)


def _model_loaded(agent: Agent | None) -> None:
    if agent is None or not agent.is_ready():
        raise ops.NotReadyError("not loaded")


def _is_our_channel(request: Request) -> bool:
    expected = f"Bearer {keys.shared_secret(keys.CHANNEL_TOKEN)}"
    return keys.same_secret(request.headers.get("authorization", ""), expected)
