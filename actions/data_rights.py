""" "Delete my data" in words, from any channel: what is stored, and deleting it after a yes.

Telegram's /radera does the same from the front end. Here the action deletes the hand-off
requests and marks its answer `custom.forget`; the REST channel then deletes the conversation
itself once this turn is written (an action cannot delete the conversation it runs in).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import LANGUAGE_SLOT, content_store, entity_text, send
from bot.content import replies, ui_text
from bot.handoff import participants
from bot.languages import SOURCE_LANGUAGE
from bot.storage.database import run

CONFIRM_ENTITY = "confirm"
YES, NO = "yes", "no"


def _payload(answer: str) -> str:
    return f'/delete_data{{"{CONFIRM_ENTITY}":"{answer}"}}'


class ActionDeleteData(Action):
    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        content = content_store().get()
        lang = tracker.get_slot(LANGUAGE_SLOT) or SOURCE_LANGUAGE
        answer = entity_text(tracker, CONFIRM_ENTITY)
        if answer == YES:
            await run(participants.delete_all, tracker.sender_id)
            deleted = replies.message(replies.ui(content, ui_text.DATA_DELETED, lang), [], lang)
            deleted["custom"]["forget"] = True
            send(dispatcher, tracker, [deleted])
        elif answer == NO:
            send(dispatcher, tracker, replies.notice(content, ui_text.DATA_KEPT, lang))
        else:
            messages = sum(1 for event in tracker.events if event.get("event") == "user")
            requests = await run(participants.count, tracker.sender_id)
            shown = replies.stored_data(content, lang, messages, _payload(YES), _payload(NO))
            if requests:
                line = content.ui_text(ui_text.DATA_HANDOFF, lang).format(requests=requests)
                shown[0]["text"] += "\n" + line
            send(dispatcher, tracker, shown)
        return []
