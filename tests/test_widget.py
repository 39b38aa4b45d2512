"""The classroom chat page in real headless Chromium (Debian's), against the real web server, Rasa
and action server: what a teacher and students do, keyboard only, accessibility (axe-core) and
screenshots of the projector and phone views in test-output/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Request, expect

from bot.content import ui_text
from bot.content.store import load
from bot.settings import PROJECT_ROOT
from tests.assistant import Assistant

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = PROJECT_ROOT / "test-output"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}
PARENTAL_BENEFIT_QUESTION = "من يدفع إعانة الوالدين؟"
ANSWERS = "#log .message.answer"
TIMEOUT_MS = 60_000


@pytest.fixture
def page(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    """The widget on a projector-sized screen, started (welcome message shown)."""
    context = browser.new_context(viewport=PROJECTOR)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    yield page
    context.close()


def open_widget(page: Page, assistant: Assistant) -> None:
    page.goto(assistant.web_url + "/")
    # the welcome comes from Rasa: the first request of a session can take longer than expect's 5 s
    expect(page.locator("#log .message").first).to_be_visible(timeout=TIMEOUT_MS)


def chat_requests(page: Page) -> list[dict]:
    """Records every message the page sends to the chat API (sender and text)."""
    sent: list[dict] = []

    def record(request: Request) -> None:
        if request.url.endswith("/api/chat"):
            sent.append(json.loads(request.post_data))

    page.on("request", record)
    return sent


def ask(page: Page, text: str) -> None:
    before = page.locator("#log .entry.bot").count()
    page.get_by_role("textbox").fill(text)
    page.get_by_role("textbox").press("Enter")
    expect(page.locator("#log .entry.bot")).not_to_have_count(before)
    expect(page.locator("#log")).not_to_have_attribute("aria-busy", "true")


def choose_arabic(page: Page) -> None:
    page.get_by_role("button", name="العربية", exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#log .message[lang=ar]").first).to_be_visible()


def arabic_parental_benefit_answer(page: Page):
    choose_arabic(page)
    ask(page, PARENTAL_BENEFIT_QUESTION)
    answer = page.locator(f"{ANSWERS}[lang=ar]").last
    expect(answer).to_be_visible()
    return answer


def test_arabic_question_gets_a_right_to_left_arabic_answer_naming_the_agency(page: Page) -> None:
    answer = arabic_parental_benefit_answer(page)
    expect(answer).to_have_attribute("dir", "rtl")
    expect(answer).to_have_attribute("lang", "ar")
    expect(answer.locator(".text")).to_contain_text("Försäkringskassan")
    expect(answer.locator(".text")).to_contain_text(re.compile("[\u0600-\u06ff]{4}"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name="العربية", exact=True)).to_have_attribute("aria-pressed", "true")


def test_play_loads_the_answers_real_audio_file(page: Page) -> None:
    answer = arabic_parental_benefit_answer(page)
    play = answer.get_by_role("button", name="استمع")
    with page.expect_response(re.compile(r"/audio/[0-9a-f]+\.mp3$")) as audio_response:
        play.click()
    response = audio_response.value
    assert response.status in (200, 206)
    assert response.header_value("content-type") == "audio/mpeg"
    page.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return p.readyState >= 1 && p.duration > 0 && p.src.endsWith('.mp3'); }",
        timeout=TIMEOUT_MS,
    )
    assert page.evaluate("document.getElementById('player').duration") > 1.0


def test_a_message_without_audio_has_no_play_button(page: Page) -> None:
    ask(page, "etableringsersättning መን እዩ ዝኸፍል")
    tigrinya = page.locator(f"{ANSWERS}[lang=ti]").last
    expect(tigrinya.locator(".text")).to_contain_text("Försäkringskassan")
    expect(tigrinya.locator("button.play")).to_have_count(0)


def test_side_by_side_shows_the_swedish_text_of_the_same_item(page: Page, assistant: Assistant) -> None:
    swedish = load(assistant.content_dir).localized("foraldrapenning", "sv")
    answer_entry = page.locator("#log .entry.bot").filter(has=page.locator(".message.answer[lang=ar]"))
    arabic_parental_benefit_answer(page)
    page.locator("#side-by-side").click()
    expect(page.locator("#side-by-side")).to_have_attribute("aria-pressed", "true")
    column = answer_entry.last.locator(".message.swedish")
    expect(column).to_have_attribute("lang", "sv")
    expect(column).to_have_attribute("dir", "ltr")
    expect(column.locator(".text")).to_contain_text(swedish.title)
    expect(column.locator(".text")).to_contain_text(swedish.text.split(".")[0])
    expect(column.get_by_role("button", name="استمع")).to_be_visible()
    arabic_box, swedish_box = (answer_entry.last.locator(".message").nth(i).bounding_box() for i in (0, 1))
    assert abs(arabic_box["y"] - swedish_box["y"]) < 5, "two columns, side by side on a projector"

    ask(page, "من يدفع إعانة الأطفال؟")
    expect(page.locator("#log .entry.bot").last.locator(".message.swedish")).to_be_visible()
    page.locator("#side-by-side").click()
    expect(page.locator("#log .message.swedish")).to_have_count(0)


def test_lesson_mode_steps_next_and_previous_with_audio_while_the_chat_stays_usable(
    page: Page, assistant: Assistant
) -> None:
    content = load(assistant.content_dir)
    steps = ["varden", *(part.id for part in content.items["varden"].parts)]
    choose_arabic(page)
    page.get_by_role("combobox", name="درس").select_option("varden")
    page.get_by_role("button", name="اعرض", exact=True).click()
    step = page.locator("#lesson-step")
    shown = step.locator(".message.answer:not(.swedish)")
    previous, following = page.get_by_role("button", name="السابق"), page.get_by_role("button", name="التالي")

    expect(shown).to_contain_text(content.localized(steps[0], "ar").title)
    expect(page.locator("#lesson-position")).to_have_text(f"1 / {len(steps)}")
    expect(previous).to_be_disabled()
    expect(step.get_by_role("button", name="استمع")).to_be_visible()
    following.click()
    expect(page.locator("#lesson-position")).to_have_text(f"2 / {len(steps)}")
    expect(shown).to_contain_text(content.localized(steps[1], "ar").title)
    expect(shown).to_have_attribute("dir", "rtl")
    following.click()
    expect(shown).to_contain_text(content.localized(steps[2], "ar").title)
    previous.click()
    expect(page.locator("#lesson-position")).to_have_text(f"2 / {len(steps)}")
    expect(shown).to_contain_text(content.localized(steps[1], "ar").title)

    page.locator("#side-by-side").click()
    expect(step.locator(".message.swedish")).to_contain_text(content.localized(steps[1], "sv").title)

    ask(page, PARENTAL_BENEFIT_QUESTION)
    expect(page.locator(f"{ANSWERS}[lang=ar]").last).to_contain_text("Försäkringskassan")
    expect(shown).to_contain_text(content.localized(steps[1], "ar").title)


def test_html_in_messages_is_shown_as_text_and_never_runs(page: Page) -> None:
    typed = '<img src=x onerror="window.__xss = 1">'
    ask(page, typed)
    expect(page.locator("#log .entry.user").last).to_have_text(typed)

    bot_text = 'Hej <img src=x onerror="window.__xss = 2"><script>window.__xss = 3</script>\nrad två'
    reply = [
        {
            "recipient_id": "x",
            "text": bot_text,
            "buttons": [{"title": '<img src=x onerror="window.__xss = 4">', "payload": "/menu"}],
            "custom": {"lang": "sv", "dir": "ltr", "item": "somn"},
        }
    ]
    page.route("**/api/chat", lambda route: route.fulfill(json=reply))
    ask(page, "hej")
    shown = page.locator("#log .entry.bot").last
    expect(shown.locator(".text")).to_contain_text("rad två")
    assert shown.locator(".text").text_content() == bot_text
    expect(shown.get_by_role("button", name='<img src=x onerror="window.__xss = 4">')).to_be_visible()
    assert page.locator("#log img, #log script").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert shown.locator(".text").evaluate("node => getComputedStyle(node).whiteSpace") == "pre-line"


def test_when_the_assistant_cannot_be_reached_the_page_says_try_again_in_the_chosen_language(
    page: Page, assistant: Assistant
) -> None:
    choose_arabic(page)
    page.route("**/api/chat", lambda route: route.fulfill(status=503, json={"error": "rasa_unreachable"}))
    ask(page, PARENTAL_BENEFIT_QUESTION)
    try_again = load(assistant.content_dir).ui_text(ui_text.WEB_TRY_AGAIN, "ar")
    notice = page.locator("#log .entry.notice").last
    expect(notice).to_have_attribute("lang", "ar")
    assert notice.text_content() == try_again


def test_new_session_clears_the_view_and_starts_a_new_conversation(page: Page) -> None:
    sent = chat_requests(page)
    ask(page, "jag har ont i ryggen")
    expect(page.locator("#log .entry.user")).to_have_count(1)
    before = len(sent)

    page.get_by_role("button", name="Ny session").click()
    expect(page.locator("#log .entry.user")).to_have_count(0)
    expect(page.locator("#log .message").first).to_be_visible()
    expect(page.get_by_role("textbox")).to_be_focused()
    ask(page, "vem betalar barnbidrag")
    old_senders, new_senders = {r["sender"] for r in sent[:before]}, {r["sender"] for r in sent[before:]}
    assert len(old_senders) == len(new_senders) == 1
    assert old_senders != new_senders
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_tapping_a_button_sends_its_payload_like_typing(page: Page) -> None:
    sent = chat_requests(page)
    page.locator("#log .message button.choice").first.click()
    expect(page.locator("#log .entry.user")).to_have_count(1)
    assert sent[-1]["message"] == '/show{"item":"halsoskola"}'
    expect(page.locator("#log .entry.user")).to_have_text("Hälsoskola")
    expect(page.locator(ANSWERS).last).to_contain_text("Hälsoskola")
    lesson = page.locator("#log .entry.bot").last.get_by_role("button", name="Vården i Sverige")
    lesson.click()
    assert sent[-1]["message"] == '/show{"item":"varden"}'
    expect(page.locator(ANSWERS).last).to_contain_text("Vårdcentralen")


def test_keyboard_only_ask_listen_and_visible_focus(page: Page) -> None:
    page.keyboard.press("Tab")
    order = []
    for _ in range(40):
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
        if order[-1] == "question":
            break
        page.keyboard.press("Tab")
    assert order[:4] == ["Svenska", "العربية", "ትግርኛ", "Soomaali"]
    assert order.index("side-by-side") < order.index("lesson-select") < order.index("question")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field shows where the keyboard is"
    page.keyboard.type("vem betalar föräldrapenning")
    page.keyboard.press("Enter")
    answer = page.locator(f"{ANSWERS}[lang=sv]").last
    expect(answer).to_contain_text("Försäkringskassan")
    answer.get_by_role("button", name="Lyssna").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1", timeout=TIMEOUT_MS)


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("view", "viewport"), [("projector", PROJECTOR), ("phone", PHONE)])
def test_accessible_readable_and_screenshots_with_an_arabic_answer(
    browser: Browser, assistant: Assistant, view: str, viewport: dict, capsys: pytest.CaptureFixture
) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1 if view == "projector" else 2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    arabic_parental_benefit_answer(page)
    page.locator("#side-by-side").click()
    expect(page.locator("#log .message.swedish").last).to_be_visible()
    if view == "projector":
        page.get_by_role("button", name="اعرض", exact=True).click()
        expect(page.locator("#lesson-step .message.answer").first).to_be_visible()
    page.locator(f"{ANSWERS}[lang=ar]").last.evaluate("node => node.scrollIntoView({block: 'start'})")

    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    small = page.evaluate(
        "[...document.querySelectorAll('button, select, input')].filter(e => e.offsetParent)"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"
    )
    assert small == 0, "every control is a tap target of at least 44 × 44 px"

    OUTPUT.mkdir(exist_ok=True)
    screenshot = OUTPUT / f"widget-{view}.png"
    page.screenshot(path=screenshot)
    with capsys.disabled():
        print(f"\nscreenshot: {screenshot}")
    context.close()


def test_readable_at_200_percent_zoom(browser: Browser, assistant: Assistant) -> None:
    """A 1280 px wide screen at 200 % is a 640 CSS px viewport with twice the pixels per CSS px."""
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    arabic_parental_benefit_answer(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_role("textbox")).to_be_visible()
    context.close()
