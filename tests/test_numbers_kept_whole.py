"""In Chromium, a phone number in a Tigrinya text is never split over two lines: not in the chat on
a phone, not on the teachers' printed lesson. "020-50 50 50" broken after "020-" or "50" is a
wrong number to someone reading it off paper. Wherever a line happens to end depends on the
screen's width, so each test lays the text out at many widths and reads, at each, the lines the
number's characters are drawn on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.assistant import Assistant
from tests.test_teacher_page import A4, choose
from tests.test_widget import PHONE, TIMEOUT_MS, ask, open_widget

NUMBER = "020-50 50 50"  # Kvinnofridslinjen, in familj_vald (a step of the lesson "familj")
ITEM, LESSON = "familj_vald", "familj"

# The tops of the lines that the first `number` under `root` (in a `lang` element) is drawn on.
LINES_OF = """([selector, number]) => {
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = node.data.indexOf(number);
      if (start < 0) continue;
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + number.length);
      const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top));
      return [...new Set(tops)];
    }
  }
  return null;
}"""


def split_at(page: Page, selector: str, widths: range) -> dict[int, list[int]]:
    """The widths (of the viewport) at which the number is drawn on more than one line, with those lines."""
    split = {}
    for width in widths:
        page.set_viewport_size({"width": width, "height": page.viewport_size["height"]})
        lines = page.evaluate(LINES_OF, [selector, NUMBER])
        assert lines, f"{NUMBER} is not drawn at width {width}"
        if len(lines) > 1:
            split[width] = lines
    return split


@pytest.fixture
def tigrinya_answer(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    page.get_by_role("button", name="ትግርኛ", exact=True).click()
    expect(page.locator("#log .message[lang=ti]").first).to_be_visible()
    ask(page, f'/show{{"item": "{ITEM}"}}')
    expect(page.locator(f"#log .message[lang=ti]:has-text('{NUMBER}')").last).to_be_visible()
    yield page
    context.close()


def test_a_phone_number_in_a_tigrinya_answer_stays_on_one_line_at_every_phone_width(tigrinya_answer: Page) -> None:
    assert split_at(tigrinya_answer, "#log .message[lang=ti]", range(300, 481, 3)) == {}


def test_a_phone_number_on_a_printed_tigrinya_lesson_stays_on_one_line(browser: Browser, assistant: Assistant) -> None:
    context = browser.new_context(viewport=A4)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{assistant.web_url}/larare/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    choose(page, LESSON, "ti")
    page.emulate_media(media="print")
    expect(page.locator(f"#steps [lang=ti]:has-text('{NUMBER}')").first).to_be_visible()
    # From a narrow page to wider than A4 and than the sheet itself (60rem): where a line ends moves
    # with the width (without the fix the number split at 546-569 px, and from 966 px on).
    assert split_at(page, "#steps [lang=ti]", range(400, 1001, 2)) == {}
    context.close()
