"""Turns content into chat messages: text, buttons and a small machine-readable payload.

Every channel (Rasa REST, Telegram, the web widget) shows these messages, so the rules that make
the assistant easy to use live here once: each answer ends with a way forward (the next part,
related topics), a way to a person (coordinator) and a way home (menu); an answer in another
language can also be shown in Swedish; and every message says its language and direction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.content import ui_text
from bot.content.store import Content, Localized
from bot.languages import LANGUAGES, SOURCE_LANGUAGE, direction, is_rtl
from bot.settings import (
    CONVERSATION_RETENTION_HOURS,
    HANDOFF_RETENTION_DAYS,
    INSIGHTS_RETENTION_DAYS,
    USAGE_RETENTION_DAYS,
)

Message = dict[str, Any]

# The blanks in texts about storage, each filled from the setting that governs that period, so a
# text can never promise another period than the code keeps (tests/test_storage_texts.py).
STORAGE_PERIODS = {
    "hours": f"{CONVERSATION_RETENTION_HOURS:g}",  # the conversation (bot/rasa/retention.py)
    "days": str(HANDOFF_RETENTION_DAYS),  # hand-off requests (bot/handoff/participants.py)
    "question_days": str(INSIGHTS_RETENTION_DAYS),  # unanswered questions, ratings (bot/insights/store.py)
    "usage_days": str(USAGE_RETENTION_DAYS),  # the funder's daily counts (bot/insights/usage.py)
}

MAX_TOPIC_BUTTONS = 6
MENU_PAYLOAD = "/menu"
HANDOFF_PAYLOAD = "/handoff"
LANGUAGE_PAYLOAD = "/change_language"
CANCEL_PAYLOAD = "/cancel"
BACK_TO_BOT_PAYLOAD = "/back_to_bot"
SUGGESTION_RANK = "rank"  # entity of a suggested topic's button: 1–3, counted in insights
RATE_PAYLOAD = "/rate"  # 👍/👎 under a topic answer (actions/rating.py); short, for Telegram's 64 bytes
RATING_ENTITY = "rating"
HELPFUL = "up"
RATINGS = {HELPFUL: "👍", "down": "👎"}  # the entity's values and the buttons' symbols, the same in every language


def _payload(intent: str, **entities: str) -> str:
    return intent + (json.dumps(entities, ensure_ascii=False, separators=(",", ":")) if entities else "")


def show_payload(node_id: str, **entities: str) -> str:
    """The button payload that opens an item or section, same as the `show` intent with an entity."""
    return _payload("/show", item=node_id, **entities)


def rating_payload(item_id: str, rating: str) -> str:
    """The payload of 👍 ("up") or 👎 ("down") under an item's answer."""
    return _payload(RATE_PAYLOAD, item=item_id, **{RATING_ENTITY: rating})


def is_rating(payload: str) -> bool:
    """Whether a button rates an answer: channels show these two side by side and small."""
    return payload.startswith(RATE_PAYLOAD + "{")


def button(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


def message(text: str, buttons: list[dict[str, str]], lang: str, node_id: str | None = None) -> Message:
    custom: dict[str, Any] = {"lang": lang, "dir": direction(lang)}
    if node_id:
        custom["item"] = node_id
    return {"text": text, "buttons": buttons, "custom": custom}


def tail_buttons(content: Content, lang: str, menu: bool = True) -> list[dict[str, str]]:
    buttons = [button(content.ui_text(ui_text.BUTTON_COORDINATOR, lang), HANDOFF_PAYLOAD)]
    if menu:
        buttons.append(button(content.ui_text(ui_text.BUTTON_MENU, lang), MENU_PAYLOAD))
    return buttons


def _topic_buttons(content: Content, ids: Iterable[str], exclude: set[str], lang: str) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    for node_id in ids:
        if node_id in exclude or len(buttons) == MAX_TOPIC_BUTTONS:
            continue
        exclude.add(node_id)
        buttons.append(button(content.localized(node_id, lang).title, show_payload(node_id)))
    return buttons


def _beside_tail(topics: list[dict[str, str]], tail: list[dict[str, str]]) -> list[dict[str, str]]:
    """The topic buttons, then the tail; a topic titled like a tail button is left out: two
    buttons with one label that go to different places leave a participant guessing. (The item
    that explains coordinators was once titled "Prata med en koordinator", like the button to
    one; it is "Vad gör en koordinator?" now, and this keeps a future title from doing the same.)"""
    taken = {entry["title"] for entry in tail}
    return [entry for entry in topics if entry["title"] not in taken] + tail


def _body(shown: Localized) -> str:
    lines = [shown.title, "", shown.text]
    if shown.steps:
        lines.append("")
        lines += [f"{number}. {step}" for number, step in enumerate(shown.steps, start=1)]
    return "\n".join(lines)


def _with_language_notes(
    content: Content, node_id: str, lang: str, shown: Localized, buttons: list[dict[str, str]]
) -> list[Message]:
    """The answer; before it a note if it is not translated yet; a "show in Swedish" button if it is."""
    if shown.lang != lang:
        note = message(content.ui_text(ui_text.MISSING_TRANSLATION, lang), [], lang)
        return [note, message(_body(shown), buttons, shown.lang, node_id)]
    if lang != SOURCE_LANGUAGE:
        swedish = button(content.ui_text(ui_text.BUTTON_SWEDISH, lang), show_payload(node_id, language=SOURCE_LANGUAGE))
        buttons = [swedish, *buttons]
    return [message(_body(shown), buttons, lang, node_id)]


def answer(content: Content, item_id: str, lang: str, rate: bool = False, asked: str | None = None) -> list[Message]:
    """An item's text, then: the topic `asked` (what the participant asked about, when an emergency
    answers first), its parts or the next part, related topics, coordinator, menu; last, with
    `rate`, 👍 and 👎 (never under an emergency answer, where nothing should stand between a
    person and 112)."""
    item = content.items[item_id]
    seen = {item_id}
    buttons: list[dict[str, str]] = _topic_buttons(content, [asked] if asked else [], seen, lang)
    next_id = content.next_part(item_id)
    if next_id:
        seen.add(next_id)
        title = f"{content.ui_text(ui_text.BUTTON_NEXT, lang)}: {content.localized(next_id, lang).title}"
        buttons.append(button(title, show_payload(next_id)))
    buttons += _topic_buttons(content, [part.id for part in item.parts] + item.related, seen, lang)
    buttons = _beside_tail(buttons, tail_buttons(content, lang))
    if rate and item_id not in content.emergency_items():
        buttons += [button(symbol, rating_payload(item_id, rating)) for rating, symbol in RATINGS.items()]
    return _with_language_notes(content, item_id, lang, content.localized(item_id, lang), buttons)


def section(content: Content, section_id: str, lang: str) -> list[Message]:
    shown = content.localized(section_id, lang)
    buttons = [button(content.localized(i, lang).title, show_payload(i)) for i in content.section_items[section_id]]
    text = f"{shown.title}\n\n{shown.text}"
    return [message(text, _beside_tail(buttons, tail_buttons(content, lang)), shown.lang, section_id)]


def show(content: Content, node_id: str, lang: str, rate: bool = False) -> list[Message]:
    """An item or a section, whichever the id names; `rate` puts 👍/👎 under an item's answer."""
    if node_id in content.section_items:
        return section(content, node_id, lang)
    return answer(content, node_id, lang, rate)


def menu(content: Content, lang: str, welcome: bool = False) -> list[Message]:
    """The main menu: the content sections, a coordinator, and the language choice."""
    text = content.ui_text(ui_text.WELCOME if welcome else ui_text.MENU_TITLE, lang)
    buttons = [button(content.localized(s.id, lang).title, show_payload(s.id)) for s in content.menu()]
    buttons += tail_buttons(content, lang, menu=False)
    buttons.append(button(content.ui_text(ui_text.BUTTON_LANGUAGE, lang), LANGUAGE_PAYLOAD))
    return [message(text, buttons, lang)]


def fallback(content: Content, candidates: list[str], lang: str) -> list[Message]:
    """When we are unsure: the closest topics as buttons, never a confident wrong answer."""
    if not candidates:
        return notice(content, ui_text.FALLBACK_NOTHING, lang)
    buttons = [
        button(content.localized(node_id, lang).title, show_payload(node_id, **{SUGGESTION_RANK: str(rank)}))
        for rank, node_id in enumerate(dict.fromkeys(candidates), start=1)
    ]
    buttons += tail_buttons(content, lang)
    return [message(content.ui_text(ui_text.FALLBACK, lang), buttons, lang)]


def notice(content: Content, key: str, lang: str) -> list[Message]:
    """A short interface text with the way to a person and the way home."""
    return [message(ui(content, key, lang), tail_buttons(content, lang), lang)]


def keep_question(content: Content, lang: str, yes_payload: str, no_payload: str) -> Message:
    """After an unanswered question: may we keep it? One question, yes and no (actions/unanswered.py)."""
    buttons = [
        button(content.ui_text(ui_text.BUTTON_YES, lang), yes_payload),
        button(content.ui_text(ui_text.BUTTON_NO, lang), no_payload),
    ]
    return message(ui(content, ui_text.KEEP_QUESTION_ASK, lang), buttons, lang)


def _language_buttons(content: Content) -> list[dict[str, str]]:
    return [button(LANGUAGES[code].endonym, _payload(LANGUAGE_PAYLOAD, language=code)) for code in content.languages()]


def languages(content: Content, lang: str) -> list[Message]:
    """The language picker: every language in its own name."""
    buttons = _language_buttons(content) + tail_buttons(content, lang)
    return [message(content.ui_text(ui_text.LANGUAGE_TITLE, lang), buttons, lang)]


def not_supported(content: Content, sentence: str, lang: str) -> list[Message]:
    """A language we do not answer yet: its fixed sentence (bot.nlu.other_languages), then the choice.
    The message is marked right to left when the sentence is in Arabic script."""
    rtl = any("\u0600" <= char <= "\u06ff" for char in sentence)
    shown = message(sentence, _language_buttons(content) + tail_buttons(content, lang), lang)
    shown["custom"] = {**shown["custom"], "dir": "rtl" if rtl else "ltr"}
    return [shown]


def start(content: Content, lang: str) -> list[Message]:
    """The first message: who we are, then the language choice; the menu follows the choice."""
    return [message(content.ui_text(ui_text.START, lang), _language_buttons(content), lang)]


def language_changed(content: Content, lang: str) -> list[Message]:
    """Confirms the new language in that language, then the menu in it."""
    return [message(content.ui_text(ui_text.LANGUAGE_CHANGED, lang), [], lang), *menu(content, lang)]


def stored_data(
    content: Content, lang: str, messages: int, delete_payload: str, keep_payload: str, requests: int = 0
) -> list[Message]:
    """What is stored about a participant (counts, then what and why), and the choice to delete it."""
    figures = ui(content, ui_text.DATA_FIGURES, lang).format(messages=messages)
    if requests:
        figures += "\n" + content.ui_text(ui_text.DATA_HANDOFF, lang).format(requests=requests)
    buttons = [
        button(content.ui_text(ui_text.BUTTON_DELETE_ALL, lang), delete_payload),
        button(content.ui_text(ui_text.BUTTON_KEEP, lang), keep_payload),
    ]
    return [message(figures, [], lang), message(ui(content, ui_text.DATA_STORED, lang), buttons, lang)]


def ui(content: Content, key: str, lang: str) -> str:
    """An interface text with its fixed blanks filled: the storage periods from the settings, the
    language's own name."""
    text = content.ui_text(key, lang)
    for name, value in STORAGE_PERIODS.items():
        text = text.replace("{" + name + "}", value)
    if key == ui_text.HANDOFF_ASK_INTERPRETER:
        return text.format(language=LANGUAGES[lang].endonym)
    return text


def choice_payload(value: str) -> str:
    """A form button: the `choose` intent with the choice, the same from every channel."""
    return _payload("/choose", choice=value)


def question(content: Content, key: str, lang: str, choices: list[tuple[str, str]], cancel: bool = True) -> Message:
    """A form question with its choices (title, value) as buttons, and a way out."""
    buttons = [button(title, choice_payload(value)) for title, value in choices]
    if cancel:
        buttons.append(button(content.ui_text(ui_text.BUTTON_CANCEL, lang), CANCEL_PAYLOAD))
    return message(ui(content, key, lang), buttons, lang)


def handoff_sent(content: Content, lang: str, reference: str) -> list[Message]:
    """The request is stored; `custom.handoff` tells the channel, which may note how to reach them."""
    sent = message(
        content.ui_text(ui_text.HANDOFF_SENT, lang).format(reference=reference), tail_buttons(content, lang), lang
    )
    sent["custom"]["handoff"] = reference
    return [sent]


def alternatives(content: Content, lang: str, item_ids: list[str]) -> list[Message]:
    """No hand-off: where else to turn, as buttons to those answers."""
    buttons = _topic_buttons(content, item_ids, set(), lang) + tail_buttons(content, lang)
    return [message(ui(content, ui_text.HANDOFF_CONSENT_NO, lang), buttons, lang)]


def from_coordinator(content: Content, lang: str, text: str) -> Message:
    """A coordinator's message, marked as theirs, with the way back to the bot."""
    label = content.ui_text(ui_text.HANDOFF_FROM_COORDINATOR, lang)
    back = button(content.ui_text(ui_text.BUTTON_BACK_TO_BOT, lang), BACK_TO_BOT_PAYLOAD)
    return message(f"{label}\n{text}", [back], lang)


def proposals(content: Content, lang: str, times: list[tuple[int, str]]) -> Message:
    """Proposed times (id, time as the participant reads it) as buttons; one tap books."""
    buttons = [button(shown, _payload("/choose", proposal=str(proposal_id))) for proposal_id, shown in times]
    buttons.append(button(content.ui_text(ui_text.BUTTON_BACK_TO_BOT, lang), BACK_TO_BOT_PAYLOAD))
    return message(ui(content, ui_text.HANDOFF_PROPOSALS, lang), buttons, lang)


def command_help(content: Content, lang: str, commands: dict[str, str], choose_language: bool) -> list[Message]:
    """For a command we don't have: the commands we do have (name → its menu description key), then
    the menu. With `choose_language` (the conversation has no language yet) the languages come first,
    each in its own name, for someone who cannot read this one. In right-to-left text each command is
    isolated left-to-right, or its "/" would be drawn after the name."""
    isolate = "\u2066{}\u2069" if is_rtl(lang) else "{}"
    lines = [content.ui_text(ui_text.UNKNOWN_COMMAND, lang), ""]
    lines += [f"{isolate.format('/' + name)} – {content.ui_text(key, lang)}" for name, key in commands.items()]
    buttons = _language_buttons(content) if choose_language else []
    return [message("\n".join(lines), buttons, lang), *menu(content, lang)]
