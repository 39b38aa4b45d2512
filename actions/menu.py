"""The main menu and the language picker."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction, send
from bot import replies, ui_text
from bot.content import Content


class ActionMenu(ContentAction):
    """The main menu; a greeting gets the welcome text with it."""

    def name(self) -> str:
        return "action_menu"

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        send(dispatcher, replies.menu(content, welcome=intent == "greet"))
        return []


class ActionLanguage(ContentAction):
    """Lists the languages the content exists in, each in its own name."""

    def name(self) -> str:
        return "action_language"

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content) -> list[dict[str, Any]]:
        send(dispatcher, replies.languages(content, {"sv": content.ui[ui_text.LANGUAGE_NAME]}))
        return []
