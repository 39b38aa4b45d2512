"""Was this helpful? 👍/👎 under topic answers, counted per item, language and day with no identity,
shown to coordinators with the answers that most often fail; never under an emergency answer, the
menu or a fallback. Over the real REST channel, action server, web server and Chromium."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from bot.content import replies, ui_text
from bot.content.store import load
from bot.insights import store
from bot.settings import CONTENT_DIR
from bot.telegram.delivery import keyboard
from tests.assistant import Assistant, answered_item, new_sender, text_of
from tests.coordinator import database_url
from tests.test_insights import ENOUGH_SECONDS, MONDAY, _coordinator, _insights
from tests.test_widget import PARENTAL_BENEFIT_QUESTION, PHONE, TIMEOUT_MS, ask, open_widget

TOPIC_QUESTION = "vad är en vårdcentral"
TOPIC = "vardcentral"
EMERGENCY_QUESTION = "jag vill ta mitt liv"
RATING_ROW = "SELECT language, item, helpful FROM answer_ratings"

# ---------------------------------------------------------------- counting (the store)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'insights.db'}"


def test_ratings_are_counted_per_language_and_item_most_thumbs_down_first(url: str) -> None:
    for helpful in (True, False, False):
        store.record_rating("ar", "tandvard", helpful, MONDAY, url=url)
    store.record_rating("ar", "vardcentral", False, MONDAY, url=url)
    store.record_rating("sv", "tandvard", True, MONDAY, url=url)
    assert store.summary(1, today=MONDAY, url=url)["ratings"] == [
        {"language": "ar", "item": "tandvard", "up": 1, "down": 2},
        {"language": "ar", "item": "vardcentral", "up": 0, "down": 1},
        {"language": "sv", "item": "tandvard", "up": 1, "down": 0},
    ]
    assert [r["language"] for r in store.summary(1, language="sv", today=MONDAY, url=url)["ratings"]] == ["sv"]


def test_ratings_older_than_the_insights_retention_are_forgotten(url: str) -> None:
    store.record_rating("sv", "tandvard", False, MONDAY - dt.timedelta(days=91), url=url)
    store.record_rating("sv", "tandvard", True, MONDAY - dt.timedelta(days=90), url=url)
    store.forget_old(90, today=MONDAY, url=url)
    assert store.ratings(MONDAY - dt.timedelta(days=365), url=url) == [
        {"language": "sv", "item": "tandvard", "up": 1, "down": 0}
    ]


def test_every_rating_button_fits_in_telegrams_callback_data_and_shares_one_row() -> None:
    """Telegram drops a button whose payload is over 64 bytes: the longest item id must fit."""
    content = load(CONTENT_DIR)
    for item_id in content.items:
        for rating in replies.RATINGS:
            assert len(replies.rating_payload(item_id, rating).encode()) <= 64, item_id
    [shown] = replies.answer(content, TOPIC, "sv", rate=True)
    rows = keyboard(shown).inline_keyboard
    assert [button.text for button in rows[-1]] == ["👍", "👎"]
    assert all(len(row) == 1 for row in rows[:-1])


# ---------------------------------------------------------------- end to end over the REST channel


def _rows(assistant: Assistant) -> list[tuple]:
    engine = create_engine(database_url(assistant))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(RATING_ROW))]
    finally:
        engine.dispose()


def _ratings(messages: list[dict[str, Any]]) -> dict[str, str]:
    """The rating buttons of the messages (title → payload)."""
    return {b["title"]: b["payload"] for m in messages for b in m.get("buttons", []) if replies.is_rating(b["payload"])}


def _written(assistant: Assistant, before: list[tuple]) -> list[tuple]:
    """The rows once the action server's writer has added one (or the old rows after the wait)."""
    deadline = time.monotonic() + ENOUGH_SECONDS
    while len(after := _rows(assistant)) == len(before) and time.monotonic() < deadline:
        time.sleep(0.2)
    return after


def test_a_thumbs_down_is_stored_with_item_language_and_no_sender_then_shown(assistant: Assistant) -> None:
    sender = new_sender()
    answer = assistant.say(TOPIC_QUESTION, sender)
    assert answered_item(answer) == TOPIC
    buttons = _ratings(answer)
    assert list(buttons) == ["👍", "👎"]
    before = _rows(assistant)
    thanks = assistant.say(buttons["👎"], sender)
    assert text_of(thanks) == load(assistant.content_dir).ui_text(ui_text.RATING_THANKS, "sv")
    after = _written(assistant, before)
    assert len(after) == len(before) + 1
    assert after.count(("sv", TOPIC, 0)) == before.count(("sv", TOPIC, 0)) + 1
    engine = create_engine(database_url(assistant))
    with engine.connect() as connection:
        columns = [row[1] for row in connection.execute(text("PRAGMA table_info(answer_ratings)"))]
    engine.dispose()
    assert sorted(columns) == ["day", "helpful", "id", "item", "language"]  # no sender, no text

    assistant.say(buttons["👍"], sender)  # a second tap on the same answer is thanked, not counted
    time.sleep(1)
    assert len(_rows(assistant)) == len(after)

    shown = _insights(_coordinator(assistant), weeks=1, lang="sv").json()["ratings"]
    mine = next(row for row in shown if row["item"] == TOPIC)
    assert mine["down"] >= 1 and mine["title"] == load(assistant.content_dir).items[TOPIC].title


@pytest.mark.parametrize(
    "forged",
    [
        '/rate{"item":"finns_inte","rating":"down"}',  # an unknown item
        '/rate{"item":"akut_sjalvmord","rating":"down"}',  # an emergency answer
        f'/rate{{"item":"{TOPIC}","rating":"down"}}',  # a real item, but no answer offered it
        f'/rate{{"item":"{TOPIC}","rating":"meh"}}',
        '/rate{"item":{"id":"x"},"rating":"down"}',
        "svaret var inte bra",  # typed
    ],
)
def test_a_forged_or_typed_rating_is_refused_politely_and_stores_nothing(assistant: Assistant, forged: str) -> None:
    sender = new_sender()
    assistant.say("hej", sender)
    before = _rows(assistant)
    answer = assistant.say(forged, sender)
    content = load(assistant.content_dir)
    assert content.ui_text(ui_text.RATING_NOT_SAVED, "sv").split("\n")[0] in text_of(answer)
    time.sleep(1)
    assert _rows(assistant) == before


def test_no_rating_under_an_emergency_answer_the_menu_or_a_fallback(assistant: Assistant) -> None:
    sender = new_sender()
    assert not _ratings(assistant.say(EMERGENCY_QUESTION, sender))
    shown = assistant.say(replies.show_payload("akut_sjalvmord"), sender)  # a button to it, e.g. from a related topic
    assert answered_item(shown) == "akut_sjalvmord" and not _ratings(shown)
    assert not _ratings(assistant.say("/menu", sender))
    assert not _ratings(assistant.say("blorf papper zzzt", sender))


# ---------------------------------------------------------------- the widget in Chromium


@pytest.fixture
def phone(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    yield page
    context.close()


def _answer_after(page: Page, question: str):
    """The last message after asking, pinned (a `.last` locator would move on to later messages)."""
    ask(page, question)
    messages = page.locator("#log .message")
    return messages.nth(messages.count() - 1)


def test_the_widget_shows_two_named_44px_rating_buttons_under_a_topic_answer_only(phone: Page) -> None:
    answer = _answer_after(phone, TOPIC_QUESTION)
    up = answer.get_by_role("button", name="Bra svar", exact=True)
    down = answer.get_by_role("button", name="Inte bra svar", exact=True)
    for button in (up, down):
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44, box
    up_box, down_box = up.bounding_box(), down.bounding_box()
    assert abs(up_box["y"] - down_box["y"]) < 1 and up_box["x"] < down_box["x"]  # side by side, 👍 first
    down.click()
    expect(phone.locator("#log .message").last).to_contain_text("Tack!")
    expect(up).to_be_disabled()

    ask(phone, EMERGENCY_QUESTION)
    expect(phone.locator("#log .message").last).to_contain_text("112")
    expect(phone.locator("#log button.rate")).to_have_count(2)  # still only the topic answer's two


def test_the_rating_buttons_are_named_in_arabic_and_ordered_right_to_left(phone: Page) -> None:
    phone.get_by_role("button", name="العربية", exact=True).click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    answer = _answer_after(phone, PARENTAL_BENEFIT_QUESTION)
    up = answer.get_by_role("button", name="جواب جيد", exact=True)
    down = answer.get_by_role("button", name="جواب غير جيد", exact=True)
    up.scroll_into_view_if_needed()
    expect(up).to_be_in_viewport()
    assert up.bounding_box()["x"] > down.bounding_box()["x"]  # right to left: 👍 first, on the right
