"""The insights page as a coordinator sees it in real headless Chromium: after a participant asked
something the assistant could not answer and tapped yes to keeping it, the logged-in coordinator
finds the question, scrubbed, under its language and nearest topic, written right to left, and the
count on the screen."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from bot.insights.scrub import PHONE
from tests.assistant import Assistant, new_sender
from tests.coordinator import PASSWORD
from tests.test_insights import DRIVING_LICENCE, _coordinator, _topics_with, ask_about_a_new_place
from tests.test_widget import OUTPUT, TIMEOUT_MS


def test_a_logged_in_coordinator_sees_an_unanswered_arabic_question_under_its_topic(
    browser: Browser, assistant: Assistant
) -> None:
    place = ask_about_a_new_place(assistant, DRIVING_LICENCE + " رقمي ٠٧٣٩٨٧٦٥٤٣", new_sender())
    coordinator = _coordinator(assistant)
    [topic] = _topics_with(coordinator, "ar", place)  # once the action server has written it
    username = coordinator.login.json()["username"]
    coordinator.http.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(assistant.web_url + "/koordinator/insikter")
    expect(page.locator("#insights")).to_be_hidden()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#who")).to_have_text(f"Inloggad: {username}")

    page.get_by_label("Språk").select_option("ar")
    page.get_by_label("Period").select_option("4")
    page.get_by_role("button", name="Visa").click()
    arabic = page.get_by_role("region", name="arabiska", exact=False).first
    expect(page.get_by_role("heading", name="arabiska")).to_contain_text("frågor")
    row = arabic.get_by_role("row").filter(has=page.get_by_role("rowheader", name=topic["title"], exact=True))
    expect(row).to_have_count(1)
    example = row.get_by_text(f"كيف أجدد رخصة القيادة في {place}؟ رقمي {PHONE}", exact=True)
    example.scroll_into_view_if_needed()
    expect(example).to_be_in_viewport()
    assert example.evaluate("node => getComputedStyle(node).direction") == "rtl"
    expect(row.locator("td.count").last).to_have_text(str(topic["total"]))
    expect(page.locator("#report")).not_to_contain_text("٠٧٣٩٨٧٦٥٤٣")
    expect(page.locator("#status")).to_contain_text("obesvarade frågor under perioden")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "insights-ar.png", full_page=True)
    context.close()
