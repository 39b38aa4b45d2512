"""The main menu and the choice of language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import LANGUAGE_SLOT, ContentAction, entity_text, send
from bot.content import replies
from bot.content.store import Content

LANGUAGE_ENTITY = "language"


class ActionStart(ContentAction):
    """A welcome and the language choice, in the language the channel suggests if it knows one.

    Telegram tells us the language of the participant's phone; that is a good first guess, and
    the choice right below corrects it with one tap.
    """

    def name(self) -> str:
        return "action_start"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        suggested = entity_text(tracker, LANGUAGE_ENTITY)
        chosen = suggested if suggested in content.languages() else lang
        send(dispatcher, tracker, replies.start(content, chosen))
        return [SlotSet(LANGUAGE_SLOT, chosen)] if chosen != lang else []


class ActionMenu(ContentAction):
    """The main menu; a greeting gets the welcome text with it."""

    def name(self) -> str:
        return "action_menu"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        send(dispatcher, tracker, replies.menu(content, lang, welcome=intent == "greet"))
        return []


class ActionLanguage(ContentAction):
    """A language button switches the conversation's language; otherwise, show the choices."""

    def name(self) -> str:
        return "action_language"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content, lang: str
    ) -> list[dict[str, Any]]:
        chosen = entity_text(tracker, LANGUAGE_ENTITY)
        if chosen not in content.languages():
            send(dispatcher, tracker, replies.languages(content, lang))
            return []
        send(dispatcher, tracker, replies.language_changed(content, chosen))
        return [SlotSet(LANGUAGE_SLOT, chosen)]
