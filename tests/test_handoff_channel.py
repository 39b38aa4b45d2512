"""Where a coordinator's answer comes: a participant who asks for a person in the web chat is told,
before they agree, that the answer reaches them only while the page is open, and offered a phone
call or Telegram instead. Telegram keeps the chat, so it is not told so. Real widget, real Rasa."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.content import replies, ui_text
from bot.content.store import load
from tests.assistant import Assistant
from tests.test_widget import PHONE, TIMEOUT_MS, ask


@pytest.fixture
def phone(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(assistant.web_url + "/")
    expect(page.locator("#log .message").first).to_be_visible(timeout=TIMEOUT_MS)  # Rasa may be warming up
    yield page
    context.close()


def test_the_web_consent_says_the_answer_comes_only_while_the_page_is_open(phone: Page, assistant: Assistant) -> None:
    content = load(assistant.content_dir)
    reach = replies.ui(content, ui_text.HANDOFF_WEB_REACH, "sv")
    ask(phone, "jag vill prata med en koordinator")
    consent = phone.locator("#log .entry.bot .message").last
    expect(consent.locator(".text")).to_contain_text(reach.split(".")[0])
    expect(consent.locator(".text")).to_contain_text(content.ui_text(ui_text.HANDOFF_CONTACT_PHONE, "sv"))
    expect(consent.locator(".text")).to_contain_text("Telegram")
    expect(consent.locator(".text")).to_contain_text("Får jag spara dina svar?")
    first_line = consent.locator(".text").evaluate(
        """(node) => { const range = document.createRange(); range.setStart(node.firstChild, 0);
                      range.setEnd(node.firstChild, 5); const box = range.getBoundingClientRect();
                      return [box.top, box.bottom]; }"""
    )
    assert 0 <= first_line[0] and first_line[1] <= PHONE["height"], "the note is where the eye goes: in view"
    expect(consent.get_by_role("button", name="Ja", exact=True)).to_be_visible()


@pytest.mark.parametrize("lang", ["ar", "ti", "so"])
def test_only_the_web_chat_gets_the_note_in_every_language(assistant: Assistant, lang: str) -> None:
    content = load(assistant.content_dir)
    reach = replies.ui(content, ui_text.HANDOFF_WEB_REACH, lang)
    consent = replies.ui(content, ui_text.HANDOFF_CONSENT, lang)

    def consent_text(sender: str) -> str:
        assistant.say(f'/change_language{{"language":"{lang}"}}', sender)
        messages = assistant.say(replies.HANDOFF_PAYLOAD, sender)
        return next(m["text"] for m in messages if m.get("buttons"))

    web = consent_text(f"web-{uuid.uuid4().hex}")
    assert web.startswith(reach) and web.endswith(consent)
    assert content.ui_text(ui_text.HANDOFF_CONTACT_PHONE, lang) in web, "the phone choice named as its button is"
    assert consent_text(f"tg-{uuid.uuid4().hex}") == consent, "Telegram keeps the chat: no note"
