"""Turns content into chat messages: text, buttons and a small machine-readable payload.

Every channel (Rasa REST, Telegram, the web widget) shows these messages, so the rules that make
the assistant easy to use live here once: each answer ends with a way forward (the next part,
related topics), a way to a person (coordinator) and a way home (menu).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from bot import ui_text
from bot.content import Content
from bot.content_schema import Item

Message = dict[str, Any]

MAX_TOPIC_BUTTONS = 6
MENU_PAYLOAD = "/menu"
HANDOFF_PAYLOAD = "/handoff"
LANGUAGE_PAYLOAD = "/change_language"


def show_payload(node_id: str) -> str:
    """The button payload that opens an item or section, same as the `show` intent with an entity."""
    return "/show" + json.dumps({"item": node_id}, separators=(",", ":"))


def _button(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


def _tail_buttons(content: Content, menu: bool = True) -> list[dict[str, str]]:
    buttons = [_button(content.ui[ui_text.BUTTON_COORDINATOR], HANDOFF_PAYLOAD)]
    if menu:
        buttons.append(_button(content.ui[ui_text.BUTTON_MENU], MENU_PAYLOAD))
    return buttons


def _topic_buttons(content: Content, ids: Iterable[str], exclude: set[str]) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    for node_id in ids:
        if node_id in exclude or len(buttons) == MAX_TOPIC_BUTTONS:
            continue
        exclude.add(node_id)
        title = content.items[node_id].title if node_id in content.items else content.section(node_id).title
        buttons.append(_button(title, show_payload(node_id)))
    return buttons


def _message(text: str, buttons: list[dict[str, str]], node_id: str | None = None) -> Message:
    custom: dict[str, Any] = {"lang": "sv", "dir": "ltr"}
    if node_id:
        custom["item"] = node_id
    return {"text": text, "buttons": buttons, "custom": custom}


def _body(item: Item) -> str:
    lines = [item.title, "", item.text]
    if item.steps:
        lines.append("")
        lines += [f"{number}. {step}" for number, step in enumerate(item.steps, start=1)]
    return "\n".join(lines)


def answer(content: Content, item_id: str) -> Message:
    """An item's text, then: its parts or the next part, related topics, coordinator, menu."""
    item = content.items[item_id]
    seen = {item_id}
    buttons: list[dict[str, str]] = []
    next_id = content.next_part(item_id)
    if next_id:
        seen.add(next_id)
        buttons.append(
            _button(f"{content.ui[ui_text.BUTTON_NEXT]}: {content.items[next_id].title}", show_payload(next_id))
        )
    buttons += _topic_buttons(content, [part.id for part in item.parts] + item.related, seen)
    return _message(_body(item), buttons + _tail_buttons(content), item_id)


def section(content: Content, section_id: str) -> Message:
    chosen = content.section(section_id)
    buttons = [_button(content.items[i].title, show_payload(i)) for i in content.section_items[section_id]]
    return _message(f"{chosen.title}\n\n{chosen.text}", buttons + _tail_buttons(content), section_id)


def show(content: Content, node_id: str) -> Message:
    """An item or a section, whichever the id names."""
    return section(content, node_id) if node_id in content.section_items else answer(content, node_id)


def menu(content: Content, welcome: bool = False) -> Message:
    """The main menu: the content sections, a coordinator, and the language choice."""
    text = content.ui[ui_text.WELCOME if welcome else ui_text.MENU_TITLE]
    buttons = [_button(s.title, show_payload(s.id)) for s in content.menu()]
    buttons += _tail_buttons(content, menu=False)
    buttons.append(_button(content.ui[ui_text.BUTTON_LANGUAGE], LANGUAGE_PAYLOAD))
    return _message(text, buttons)


def fallback(content: Content, candidates: list[str]) -> Message:
    """When we are unsure: the closest topics as buttons, never a confident wrong answer."""
    if not candidates:
        return notice(content, ui_text.FALLBACK_NOTHING)
    buttons = _topic_buttons(content, candidates, set())
    return _message(content.ui[ui_text.FALLBACK], buttons + _tail_buttons(content))


def notice(content: Content, key: str) -> Message:
    """A short interface text with the way to a person and the way home."""
    return _message(content.ui[key], _tail_buttons(content))


def languages(content: Content, available: dict[str, str]) -> Message:
    """The language picker; `available` maps language codes to their own names."""
    buttons = [_button(name, f"{LANGUAGE_PAYLOAD}{json.dumps({'language': code})}") for code, name in available.items()]
    return _message(content.ui[ui_text.LANGUAGE_TITLE], buttons + _tail_buttons(content))
