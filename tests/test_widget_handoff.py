"""A hand-off as the participant sees it in the real widget (headless Chromium, on a phone): they
fill in the form with taps, a coordinator (over the real coordinator API) writes and proposes two
times, the widget shows the message and the times on the screen, and one tap books a time."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, Response, expect

from bot.accounts import store as accounts
from tests.assistant import Assistant
from tests.coordinator import MALMO, PASSWORD, Coordinator, database_url
from tests.test_widget import OUTPUT, TIMEOUT_MS, ask, open_widget
from tests.test_widget_layout import FIRST_LINE, SCREENS, assert_composer_in_view, seen


@pytest.fixture
def phone(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport=SCREENS["phone"], device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    yield page
    context.close()


@pytest.fixture
def sara(assistant: Assistant) -> Iterator[Coordinator]:
    username = f"sara-{uuid.uuid4().hex[:6]}"
    accounts.create(username, PASSWORD, "coordinator", [MALMO], database_url(assistant))
    coordinator = Coordinator(assistant, username)
    assert coordinator.login.status_code == 200
    yield coordinator
    coordinator.http.close()


def tap(page: Page, title: str) -> None:
    """Taps a button of the newest bot message and waits for the answer."""
    before = page.locator("#log .entry.bot").count()
    page.locator("#log .entry.bot").last.get_by_role("button", name=title, exact=True).click()
    expect(page.locator("#log .entry.bot")).not_to_have_count(before)
    expect(page.locator("#log")).not_to_have_attribute("aria-busy", "true")


def request_by_taps(page: Page) -> str:
    """The hand-off form, as a participant fills it in; the request's reference."""
    references: list[str] = []

    def remember(response: Response) -> None:
        if response.url.endswith("/api/chat") and response.ok:
            references.extend(m["custom"]["handoff"] for m in response.json() if "handoff" in m.get("custom", {}))

    page.on("response", remember)
    ask(page, "jag vill prata med en koordinator")
    tap(page, "Ja")
    ask(page, "Amal")
    for title in ("Ja", MALMO, "Förmiddag", "Här i chatten", "Nej tack"):
        tap(page, title)
    expect(page.locator("#log .entry.bot").last).to_contain_text("Namn: Amal.")
    tap(page, "Ja")
    page.remove_listener("response", remember)
    assert len(references) == 1
    return references[0]


def assert_first_line_seen(page: Page, message) -> None:
    text = message.locator(".text")
    assert seen(page, text, text.evaluate(FIRST_LINE)), "the message's first line is not on the screen"


def assert_sender_id_only_in_bodies(sent: list[Request]) -> None:
    """The page's conversation id is a bearer secret: it goes in request bodies (the chat and the
    inbox poll are POSTs), never in an address, which proxies' access logs keep."""
    senders = {json.loads(r.post_data)["sender"] for r in sent if r.url.endswith("/api/chat")}
    polls = [r for r in sent if "/api/chat/inbox" in r.url]
    assert senders and polls
    assert {r.method for r in polls} == {"POST"}
    assert all(json.loads(r.post_data)["sender"] in senders for r in polls)
    assert not [r.url for r in sent if any(sender in r.url for sender in senders)]


def test_the_widget_shows_the_coordinators_message_and_times_and_a_tap_books(
    phone: Page, assistant: Assistant, sara: Coordinator
) -> None:
    sent: list[Request] = []
    phone.on("request", lambda request: sent.append(request))  # Playwright cannot take a built-in method
    request_id = sara.request_id(request_by_taps(phone))
    assert sara.post(f"/requests/{request_id}/claim", {}).json()["status"] == "claimed"

    sara.post(f"/requests/{request_id}/messages", {"text": "Hej Amal! Jag heter Sara."})
    written = phone.locator("#log .message", has_text="Hej Amal! Jag heter Sara.")
    expect(written).to_be_visible(timeout=TIMEOUT_MS)  # the widget asks for waiting messages every few seconds
    assert_sender_id_only_in_bodies(sent)
    expect(written).to_contain_text("Din koordinator skriver:")
    expect(written.get_by_role("button", name="Tillbaka till Hälsolotsen")).to_be_visible()
    assert_first_line_seen(phone, written)
    assert_composer_in_view(phone)

    day = dt.date.today() + dt.timedelta(days=7)
    sara.post(f"/requests/{request_id}/proposals", {"times": [f"{day}T10:00", f"{day}T13:30"]})
    proposed = phone.locator("#log .message", has_text="föreslår tider")
    expect(proposed).to_be_visible(timeout=TIMEOUT_MS)
    assert_first_line_seen(phone, proposed)
    times = proposed.get_by_role("button", name=str(day.day))
    expect(times).to_have_count(2)
    expect(times.first).to_contain_text("10:00")
    expect(times.last).to_contain_text("13:30")
    OUTPUT.mkdir(exist_ok=True)
    phone.screenshot(path=OUTPUT / "widget-phone-sv-handoff-times.png")

    before = phone.locator("#log .entry.bot").count()
    times.last.click()
    expect(phone.locator("#log .entry.user").last).to_contain_text("13:30")
    expect(phone.locator("#log .entry.bot")).not_to_have_count(before)
    booked = phone.locator("#log .message", has_text="Ditt hälsosamtal är bokat")
    expect(booked).to_contain_text("13:30")
    assert_first_line_seen(phone, booked)
    phone.screenshot(path=OUTPUT / "widget-phone-sv-handoff-booked.png")

    detail = sara.get(f"/requests/{request_id}").json()
    assert (detail["status"], detail["booked_at"]) == ("booked", f"{day}T13:30")
    assert [p["accepted"] for p in detail["proposals"]] == [False, True]
