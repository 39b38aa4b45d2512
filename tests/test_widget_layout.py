"""What a person sees in the classroom chat, measured on the screen rather than read from the DOM:
a participant's short message is one line high and as wide as its text; the question field is on
the screen at the start and after an answer; the newest answer's first line is on the screen and
not under the question field. In Swedish, Arabic (right to left) and Tigrinya, on projectors and
phones. Every step is saved as a screenshot in test-output/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.assistant import Assistant
from tests.test_widget import OUTPUT, TIMEOUT_MS, ask, open_widget

SCREENS = {
    "projector": {"width": 1920, "height": 1080},
    "laptop-projector": {"width": 1280, "height": 720},
    "phone": {"width": 375, "height": 740},
    "tall-phone": {"width": 390, "height": 800},
}
# A short question that gets an answer, in each language, and its language button.
QUESTIONS = {
    "sv": ("Svenska", "jag sover dåligt på natten"),
    "ar": ("العربية", "من يدفع إعانة الوالدين؟"),
    "ti": ("ትግርኛ", "ለይቲ ክድቅስ ኣይክእልን"),
}

# The first bot message after the participant's last one.
NEWEST_ANSWER = (
    "xpath=(//div[@id='log']/div[contains(@class, 'user')])[last()]"
    "/following-sibling::div[contains(@class, 'bot')][1]//div[contains(@class, 'message')]"
)

# The rectangle of the first line of an element's text, as the screen shows it.
FIRST_LINE = """node => {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode();
  while (text && !text.data.trim()) text = walker.nextNode();
  const range = document.createRange();
  range.setStart(text, 0);
  range.setEnd(text, 1);
  const r = range.getClientRects()[0];
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""

# What the person can see at the middle of a box: the element drawn on top there.
ON_TOP = """(node, box) => {
  const x = box.x + box.width / 2, y = box.y + box.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return top !== null && (node === top || node.contains(top));
}"""

# A bubble's size against its text's own width on one line, in the bubble's font.
BUBBLE = """node => {
  const style = getComputedStyle(node);
  const probe = document.createElement("span");
  probe.textContent = node.textContent;
  probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre;inset-block-start:0";
  probe.style.font = style.font;
  probe.style.letterSpacing = style.letterSpacing;
  node.parentNode.append(probe);
  const textWidth = probe.getBoundingClientRect().width;
  probe.remove();
  const box = node.getBoundingClientRect();
  const padding = (side) => parseFloat(style[`padding${side}`]);
  return {
    width: box.width - padding("Left") - padding("Right"),
    height: box.height - padding("Top") - padding("Bottom"),
    textWidth,
    lineHeight: parseFloat(style.lineHeight),
  };
}"""


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=list(QUESTIONS))
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def widget(browser: Browser, assistant: Assistant, screen: str, lang: str) -> Iterator[Page]:
    """The widget on `screen`, switched to `lang`, with the greeting in that language shown."""
    context = browser.new_context(viewport=SCREENS[screen], device_scale_factor=1 if "projector" in screen else 2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    if lang != "sv":
        page.get_by_role("button", name=QUESTIONS[lang][0], exact=True).click()
        expect(page.locator(f"#log .message[lang={lang}]").first).to_be_visible()
        expect(page.locator("#log")).not_to_have_attribute("aria-busy", "true")
    yield page
    context.close()


def screenshot(page: Page, screen: str, lang: str, step: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"widget-{screen}-{lang}-{step}.png")


def seen(page: Page, node: Locator, box: dict | None = None) -> bool:
    """Whether `node` (or the part of it in `box`) is on the screen and drawn on top there."""
    return node.evaluate(ON_TOP, box or node.bounding_box())


def assert_composer_in_view(page: Page) -> None:
    for control in (page.get_by_role("textbox"), page.locator("#ask button[type=submit]")):
        box = control.bounding_box()
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"], f"below the fold: {box}"
        assert seen(page, control), "something is drawn over the question field"


def asked(page: Page, question: str) -> tuple[Locator, Locator]:
    """Asks `question` by typing; the participant's bubble and the first answer after it."""
    ask(page, question)
    bubble = page.locator("#log .entry.user").last
    expect(bubble).to_have_text(question)
    answer = page.locator(NEWEST_ANSWER)
    expect(answer).to_be_visible()
    return bubble, answer


def test_the_question_field_is_in_view_at_the_start(widget: Page, screen: str, lang: str) -> None:
    screenshot(widget, screen, lang, "1-start")
    assert_composer_in_view(widget)


def test_a_short_message_is_one_line_as_wide_as_its_text(widget: Page, screen: str, lang: str) -> None:
    bubble, _ = asked(widget, QUESTIONS[lang][1])
    screenshot(widget, screen, lang, "2-answered")
    size = bubble.evaluate(BUBBLE)
    assert size["width"] >= size["textWidth"] - 1, f"narrower than its text: {size}"
    assert size["height"] < 2 * size["lineHeight"], f"more than one line: {size}"
    log = widget.locator("#log").bounding_box()
    edge = bubble.bounding_box()
    end = log["x"] if lang == "ar" else log["x"] + log["width"]
    near = abs(edge["x"] - end) if lang == "ar" else abs(edge["x"] + edge["width"] - end)
    assert near < 20, "the participant's bubble sits at the end of the line (right, or left in Arabic)"


def test_after_an_answer_the_question_field_and_the_answers_first_line_are_in_view(
    widget: Page, screen: str, lang: str
) -> None:
    for _ in range(2):  # the second time, a phone's chat is longer than its screen
        _, answer = asked(widget, QUESTIONS[lang][1])
    screenshot(widget, screen, lang, "3-second-answer")
    assert_composer_in_view(widget)
    text = answer.locator(".text")
    first_line = text.evaluate(FIRST_LINE)
    assert seen(widget, text, first_line), f"the answer's first line is not on the screen: {first_line}"


def test_at_the_very_start_the_language_buttons_and_the_question_field_are_in_view(
    browser: Browser, assistant: Assistant, screen: str
) -> None:
    """The welcome must not scroll the page: choosing a language is the first thing people do."""
    context = browser.new_context(viewport=SCREENS[screen], device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    expect(page.locator("#log")).not_to_have_attribute("aria-busy", "true")
    for name, _ in QUESTIONS.values():
        assert seen(page, page.get_by_role("button", name=name, exact=True)), f"{name} is not on the screen"
    assert_composer_in_view(page)
    context.close()
