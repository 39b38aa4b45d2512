"""The coordinator view in real headless Chromium: a coordinator logs in, claims a participant's
request, writes to them and proposes times; the participant (over the real REST channel) gets the
message, answers, and books a time with a button; the page shows the booking."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.accounts import store as accounts
from bot.handoff.models import utcnow
from bot.settings import SESSION_IDLE_MINUTES
from tests.assistant import Assistant, text_of
from tests.coordinator import MALMO, PASSWORD, database_url
from tests.test_account_security import last_active
from tests.test_handoff import book, inbox, web_sender
from tests.test_widget import OUTPUT, TIMEOUT_MS


@pytest.fixture
def coordinator_page(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    username = f"sara-{uuid.uuid4().hex[:6]}"
    accounts.create(username, PASSWORD, "coordinator", [MALMO], database_url(assistant))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(assistant.web_url + "/koordinator/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#who")).to_have_text(f"Inloggad: {username}")
    yield page
    context.close()


def test_wrong_password_is_told_and_nothing_is_shown(browser: Browser, assistant: Assistant) -> None:
    page = browser.new_page()
    page.goto(assistant.web_url + "/koordinator/")
    page.get_by_label("Användarnamn").fill("ingen-sadan")
    page.get_by_label("Lösenord").fill("fel lösenord igen")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#login-error")).not_to_be_empty()
    expect(page.locator("#work")).to_be_hidden()
    page.close()


def test_coordinator_claims_replies_proposes_and_the_participant_books(
    coordinator_page: Page, assistant: Assistant
) -> None:
    page = coordinator_page
    page_id, sender = web_sender()
    reference = book(assistant, sender)

    request = page.locator("#list button", has_text=reference)
    expect(request).to_contain_text("ny")
    expect(request).to_contain_text("tolk")
    request.click()
    expect(page.locator("#facts")).to_contain_text("Amal")
    page.get_by_role("button", name="Ta förfrågan").click()
    expect(page.locator("#detail-title")).to_contain_text("tagen")

    page.get_by_label("Skriv till deltagaren").fill("Hej Amal! Jag heter Sara.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Hej Amal! Jag heter Sara.")
    [written] = inbox(assistant, page_id)
    assert "Hej Amal! Jag heter Sara." in written["text"]

    assert assistant.say("Tack! Förmiddag passar.", sender) == []
    expect(page.locator("#messages")).to_contain_text("Deltagaren: Tack! Förmiddag passar.")

    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    page.locator("#time1").fill(f"{day}T09:30")
    page.locator("#time2").fill(f"{day}T14:00")
    page.get_by_role("button", name="Skicka tiderna").click()
    expect(page.locator("#messages")).to_contain_text(f"{day} 09:30")
    [proposed] = inbox(assistant, page_id)
    booked = assistant.say(proposed["buttons"][0]["payload"], sender)
    assert "Ditt hälsosamtal är bokat" in text_of(booked)

    expect(page.locator("#detail-title")).to_contain_text("bokad")
    expect(page.locator("#messages")).to_contain_text("Deltagaren valde en tid. Bokat.")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "coordinator-booked.png", full_page=True)


def test_an_idle_login_ends_although_the_page_keeps_refreshing(coordinator_page: Page, assistant: Assistant) -> None:
    """The page asks for the list every few seconds; that is not the person doing something, so a
    page left open logs out after the idle time and shows the login form."""
    page = coordinator_page
    username = page.locator("#who").inner_text().removeprefix("Inloggad: ")
    idle = dt.timedelta(minutes=SESSION_IDLE_MINUTES)
    almost = last_active(assistant, username, utcnow() - idle + dt.timedelta(minutes=1))
    for _ in range(2):
        with page.expect_response(lambda response: response.url.endswith("/koordinator/api/requests")) as polled:
            pass
        assert polled.value.ok
    assert last_active(assistant, username) == almost, "the page's refreshing counted as activity"
    last_active(assistant, username, utcnow() - idle - dt.timedelta(minutes=1))
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    expect(page.locator("#work")).to_be_hidden()
