"""In Chromium, a phone number inside an Arabic answer reads in the right order on the screen.

In right-to-left text the bidi algorithm reorders a number written in groups: unisolated,
"020-50 50 50" is drawn as "50 50 50-020". The content wraps such numbers in LRI…PDI and
`bot check` refuses one without; this test reads the drawn characters back by their position
on the screen, left to right, as a reader's eye does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.assistant import Assistant
from tests.test_widget import OUTPUT, TIMEOUT_MS, ask, open_widget

# The characters of `number` in the first text node that holds it, in the order the screen
# draws them: each drawn character's rectangle, by line from the top, then by its left edge. A
# space where the line wraps is not drawn, so the comparison leaves spaces out.
DRAWN_ORDER = """(root, number) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const start = node.data.indexOf(number);
    if (start < 0) continue;
    const drawn = [];
    for (let i = start; i < start + number.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width > 0 && node.data[i].trim()) drawn.push([Math.round(rect.top), rect.left, node.data[i]]);
    }
    drawn.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return drawn.map(([, , char]) => char).join("");
  }
  return null;
}"""


@pytest.fixture
def arabic_widget(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 800}, device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_widget(page, assistant)
    page.get_by_role("button", name="العربية", exact=True).click()
    expect(page.locator("#log .message[lang=ar]").first).to_be_visible()
    yield page
    context.close()


@pytest.mark.parametrize(("item", "number"), [("akut_vald", "020-50 50 50"), ("larmnummer_112", "114 14")])
def test_a_grouped_number_in_an_arabic_answer_is_drawn_in_reading_order(
    arabic_widget: Page, item: str, number: str
) -> None:
    ask(arabic_widget, f'/show{{"item": "{item}"}}')
    answer = arabic_widget.locator(f"#log .message[lang=ar]:has-text('{number}')").last
    expect(answer).to_be_visible()
    OUTPUT.mkdir(exist_ok=True)
    arabic_widget.screenshot(path=OUTPUT / f"rtl-number-{item}.png")
    assert answer.evaluate(DRAWN_ORDER, number) == number.replace(" ", "")  # unisolated, "114 14" is drawn "14 114"
