"""The teachers' part, in real headless Chromium against the real servers: a link (or its QR code)
opens a lesson in a language on a student's phone, and a lesson prints on A4 in Swedish and one
more language side by side. Asserted as a person sees it: what is in view, where, how large; the
QR code is read from a screenshot, as a phone's camera reads it off the projector."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bot.content.store import load
from tests.assistant import Assistant
from tests.test_widget import OUTPUT, PHONE, PROJECTOR, TIMEOUT_MS, _serious

A4 = {"width": 794, "height": 1123}  # 210 × 297 mm at the 96 px per inch that print media uses
LESSON_WITH_A_PHONE_NUMBER = "alkohol_tobak"  # its Arabic has "020-84 00 00" in an RTL sentence
ARABIC_NUMBER = "020-84 00 00"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made: list[BrowserContext] = []

    def new(viewport: dict[str, int]) -> BrowserContext:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield new  # type: ignore[misc]
    for context in made:
        context.close()


def in_view(page: Page, locator: Locator) -> dict[str, float]:
    """The element's box, asserted to be whole inside the viewport (nothing to scroll to, nothing cut)."""
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    size = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] + 1 and box["y"] <= size["height"], (box, size)
    return box


def open_link(page: Page, address: str) -> None:
    page.goto(address)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#log .message").first).to_be_visible(timeout=TIMEOUT_MS)  # Rasa may be warming up


def test_a_link_opens_the_lesson_in_that_language_on_a_phone(context, assistant: Assistant) -> None:
    content = load(assistant.content_dir)
    page = context(PHONE).new_page()
    open_link(page, f"{assistant.web_url}/?lang=ar&lesson=somn")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name="العربية", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("combobox")).to_have_value("somn")
    step = page.locator("#lesson-step .message.answer").first
    expect(step).to_contain_text(content.localized("somn", "ar").title)
    expect(step).to_have_attribute("dir", "rtl")
    expect(page.locator("#lesson-position")).to_have_text(re.compile(r"^1 / \d+$"))
    title = in_view(page, step.locator(".text"))
    assert title["height"] > 20, "the lesson's text is there to read, without scrolling"
    expect(page.locator("#log .message[lang=ar]").first).to_be_visible()  # the welcome is in Arabic too


@pytest.mark.parametrize(
    "query",
    [
        "lang=xx&lesson=nope",
        'lang=<img src=x onerror="window.__xss=1">&lesson=<script>window.__xss=2</script>',
        "lang=AR&lesson=SOMN",
        "lang=sv&lesson=somn_rad",  # a step, not a lesson
        "lang=ar&lang=ti&lesson=constructor",
    ],
)
def test_unknown_link_values_are_left_out_and_never_shown(context, assistant: Assistant, query: str) -> None:
    page = context(PHONE).new_page()
    open_link(page, f"{assistant.web_url}/?{query}")
    expected = "ar" if query.startswith("lang=ar&") else "sv"
    expect(page.locator("html")).to_have_attribute("lang", expected)
    expect(page.locator("#lesson-view")).to_be_hidden()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.locator("body img, body script").count() == 0
    assert "nope" not in page.content() and "onerror" not in page.locator("body").inner_text()


def choose(page: Page, lesson: str, lang: str) -> None:
    page.get_by_role("combobox", name="Lektion").select_option(lesson)
    page.get_by_role("combobox", name="Språk").select_option(lang)
    expect(page.locator("#link")).to_have_text(re.compile(rf"\?lang={lang}&lesson={lesson}$"))
    expect(page.locator("#steps .step").first).to_be_visible()


def test_the_qr_code_on_the_projector_opens_the_lesson_on_a_phone(context, assistant: Assistant) -> None:
    content = load(assistant.content_dir)
    teacher = context(PROJECTOR).new_page()
    teacher.goto(f"{assistant.web_url}/larare/")
    expect(teacher.locator("body")).to_have_attribute("data-ready", "true")
    choose(teacher, "somn", "ti")
    link = teacher.locator("#link").inner_text()
    assert link == f"{assistant.web_url}/?lang=ti&lesson=somn"
    qr = teacher.get_by_role("img", name=re.compile("QR-kod till lektionen")).first  # the sheet has a small one
    expect(qr).to_have_js_property("complete", True)
    box = in_view(teacher, qr)
    assert box["width"] >= 240 and abs(box["width"] - box["height"]) < 2, "large and square, to scan from a desk"
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [code.text for code in read] == [link], "the camera reads the link the page shows"

    phone = context(PHONE).new_page()
    open_link(phone, read[0].text)
    expect(phone.locator("html")).to_have_attribute("lang", "ti")
    expect(phone.locator("#lesson-step .message.answer").first).to_contain_text(content.localized("somn", "ti").title)


@pytest.mark.parametrize(("view", "viewport"), [("projector", PROJECTOR), ("phone", PHONE)])
def test_the_teachers_page_is_accessible_and_fits_the_screen(
    context, assistant: Assistant, view: str, viewport: dict[str, int]
) -> None:
    page = context(viewport).new_page()
    page.goto(f"{assistant.web_url}/larare/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    choose(page, "somn", "ar")
    serious = _serious(Axe().run(page))
    assert serious == [], "\n".join(serious)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    small = page.evaluate(
        "[...document.querySelectorAll('button, select')].filter(e => e.offsetParent)"
        ".map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"
    )
    assert small == 0, "every control is a tap target of at least 44 × 44 px"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"teacher-page-{view}.png")


def test_the_link_and_qr_code_refuse_what_the_content_does_not_have(assistant: Assistant) -> None:
    base = f"{assistant.web_url}/larare"
    good = httpx.get(f"{base}/qr.svg", params={"lang": "so", "lesson": "somn"})
    assert good.status_code == 200 and good.headers["content-type"] == "image/svg+xml"
    assert good.text.startswith("<svg") and "<script" not in good.text
    assert httpx.get(f"{base}/api/link", params={"lang": "so", "lesson": "somn"}).json() == {
        "url": f"{assistant.web_url}/?lang=so&lesson=somn"
    }
    for params, status, code in [
        ({"lang": "xx", "lesson": "somn"}, 400, "unknown_language"),
        ({"lang": "so", "lesson": "<b>"}, 404, "unknown_lesson"),
        ({"lesson": "somn"}, 400, "unknown_language"),
    ]:
        for path in ("qr.svg", "api/link"):
            answer = httpx.get(f"{base}/{path}", params=params)
            assert (answer.status_code, answer.json()["error"]) == (status, code), (path, params)
            assert "<b>" not in answer.text


def platform_fonts(page: Page, selector: str) -> set[str]:
    """The fonts Chromium really drew the element's text with (DevTools' "Rendered Fonts")."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def drawn_order(page: Page, number: str) -> list[float]:
    """Where on screen each group of the first `number` on the sheet is drawn (left edges), in text order."""
    return page.evaluate(
        """(number) => {
             const walker = document.createTreeWalker(document.getElementById('steps'), NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               const at = node.data.indexOf(number);
               if (at < 0) continue;
               let offset = at;
               return number.split(/[- ]/).map((group) => {
                 const range = document.createRange();
                 range.setStart(node, offset);
                 range.setEnd(node, offset + group.length);
                 offset += group.length + 1;
                 return range.getBoundingClientRect().left;
               });
             }
             return [];
           }""",
        number,
    )


@pytest.mark.parametrize(("lang", "script_font"), [("ar", "Noto Naskh Arabic"), ("ti", "Noto Sans Ethiopic")])
def test_a_printed_lesson_has_swedish_and_the_language_side_by_side_on_a4(
    context, assistant: Assistant, lang: str, script_font: str
) -> None:
    content = load(assistant.content_dir)
    page = context(A4).new_page()
    page.goto(f"{assistant.web_url}/larare/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    choose(page, LESSON_WITH_A_PHONE_NUMBER, lang)
    expect(page.locator("#sheet-qr")).to_have_js_property("complete", True)
    page.emulate_media(media="print")

    expect(page.locator("#choice")).to_be_hidden()
    expect(page.locator("#share")).to_be_hidden()
    steps = page.locator("#steps .step")
    lesson = content.items[LESSON_WITH_A_PHONE_NUMBER]
    expect(steps).to_have_count(1 + len(lesson.parts))
    expect(page.locator("#sheet-title")).to_have_text(content.localized(LESSON_WITH_A_PHONE_NUMBER, "sv").title)
    for index in range(steps.count()):
        swedish, other = steps.nth(index).locator(".cell").all()
        left, right = swedish.bounding_box(), other.bounding_box()
        assert abs(left["y"] - right["y"]) < 2 and left["x"] + left["width"] <= right["x"], "side by side"
        assert left["width"] > 250 and right["width"] > 250, "each column wide enough to read"
        assert right["x"] + right["width"] <= A4["width"], "nothing off the paper's edge"
        expect(swedish.locator("[lang=sv]").first).to_be_visible()
        expect(other.locator(f"[lang={lang}]").first).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#sheet h2, #sheet h3, #sheet p')]
             .filter((node) => node.scrollWidth > node.clientWidth + 1
                               || node.getBoundingClientRect().right > innerWidth)
             .map((node) => node.textContent.slice(0, 40))"""
    )
    assert cut == [], "no text cut off or running past its column"
    assert script_font in platform_fonts(page, f"#steps .step .cell [lang={lang}] h3")
    if lang == "ar":
        groups = drawn_order(page, ARABIC_NUMBER)
        assert len(groups) == 4 and groups == sorted(groups), f"{ARABIC_NUMBER} is drawn in its own order: {groups}"
        edges = page.evaluate(
            """() => {
                 const cell = document.querySelector('#steps .step .cell:last-child');
                 const range = document.createRange();
                 range.selectNodeContents(cell.querySelector('h3'));
                 return [range.getBoundingClientRect().right, cell.getBoundingClientRect().right];
               }"""
        )
        assert abs(edges[0] - edges[1]) < 2, f"the Arabic title starts at the column's right edge: {edges}"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"printed-lesson-{lang}.png", full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    (OUTPUT / f"printed-lesson-{lang}.pdf").write_bytes(pdf)
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert sizes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in sizes), sizes
