"""The review studio on the recording page, against the running assistant (web, Rasa and action
servers): an Arabic communicator corrects and approves a text in headless Chromium, the YAML keeps
its comments and says who reviewed it, and the assistant's next answer is the corrected text. A
communicator of another language is refused; stale texts come first; a save `bot check` would
refuse changes nothing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.accounts import store as accounts
from bot.content import editing, replies
from bot.handoff import audit
from tests.assistant import Assistant, new_sender, text_of
from tests.coordinator import database_url
from tests.test_content_reload import _eventually
from tests.test_recording import PASSWORD, log_in, tap_size_problems
from tests.test_widget import OUTPUT, TIMEOUT_MS

PAGE = "/koordinator/inspelning"
API = "/koordinator/api/studio"
ITEM = "varden"  # an Arabic draft in halsoskola.yml, a file with comments
CORRECTED = "هنا تتعلم كيف تعمل الرعاية الصحية في السويد. وتعرف إلى أين تذهب عندما تكون مريضًا."
FILES = ("ar/halsoskola.yml", "sv/halsoskola.yml")


@pytest.fixture(scope="module")
def communicators(assistant: Assistant) -> dict[str, str]:
    """An Arabic and a Somali recorder (who review too), made as `bot account add --languages` does."""
    names = {lang: f"studio-{lang}-{uuid.uuid4().hex[:6]}" for lang in ("ar", "so")}
    for lang, username in names.items():
        accounts.create(username, PASSWORD, "recorder", [], database_url(assistant), languages=[lang])
    return names


@pytest.fixture
def content(assistant: Assistant) -> Iterator[Path]:
    """The assistant's content folder; the files a test changes are put back afterwards."""
    before = {name: (assistant.content_dir / name).read_text(encoding="utf-8") for name in FILES}
    yield assistant.content_dir
    for name, text in before.items():
        (assistant.content_dir / name).write_text(text, encoding="utf-8")


@contextmanager
def _session(assistant: Assistant, username: str) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """An HTTP client logged in as `username`, and the CSRF header its changes carry."""
    with httpx.Client(base_url=assistant.web_url, timeout=60) as client:
        response = client.post("/koordinator/api/login", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        yield client, {"X-CSRF-Token": response.json()["csrf"]}


def _arabic_answer(assistant: Assistant, item: str) -> list[dict]:
    sender = new_sender()
    assistant.say('/change_language{"language": "ar"}', sender)
    return assistant.say(replies.show_payload(item), sender)


@pytest.fixture
def page(browser: Browser, assistant: Assistant) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{assistant.web_url}{PAGE}?lang=ar")
    yield page
    context.close()


def test_a_corrected_arabic_text_is_approved_saved_with_its_comments_and_answered(
    page: Page, assistant: Assistant, communicators: dict[str, str], content: Path
) -> None:
    path = content / "ar" / "halsoskola.yml"
    comments = [line for line in path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    assert CORRECTED not in text_of(_arabic_answer(assistant, ITEM))
    log_in(page, communicators["ar"])

    card = page.locator(f'#reviews li[data-review-id="{ITEM}"]')
    expect(card.locator(".badge")).to_have_text("Utkast")
    source, translation = card.locator(".source"), card.locator(".translation")
    expect(source).to_contain_text("Här lär du dig hur vården fungerar.")
    left, right = source.bounding_box(), translation.bounding_box()
    assert abs(left["y"] - right["y"]) < 2, "the Swedish source and the translation start on one line"
    assert left["x"] + left["width"] <= right["x"] and min(left["width"], right["width"]) > 300
    text_box = translation.get_by_label("Text", exact=True)
    assert text_box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert translation.evaluate("e => [e.lang, getComputedStyle(e).direction]") == ["ar", "rtl"]
    assert source.evaluate("e => getComputedStyle(e).direction") == "ltr"
    progress = page.locator("#progress")
    expect(progress).to_contain_text("utkast")
    drafts_before = page.evaluate("() => document.getElementById('progress').textContent")

    text_box.fill(CORRECTED)
    approve = card.get_by_role("button", name="Godkänn texten")
    box = approve.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    with page.expect_response(lambda r: r.request.method == "POST" and f"/ar/{ITEM}/approve" in r.url) as saved:
        approve.click()
    assert saved.value.status == 200
    expect(card.get_by_role("status")).to_contain_text("Godkänd och sparad")
    expect(card.locator(".badge")).to_have_text("Granskad")
    expect(progress).not_to_have_text(drafts_before)  # one draft fewer, one more reviewed
    assert tap_size_problems(page) == 0, "every control is a tap target of at least 44 × 44 px"
    card.scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "studio.png")

    # Then the recording: the studio's button moves to the text's take in the list below.
    card.get_by_role("button", name="Spela in texten").click()
    expect(page.locator(f'#texts li[data-id="{ITEM}"]').get_by_role("button", name="Spela in")).to_be_focused()
    expect(page.locator(f'#texts li[data-id="{ITEM}"] .text')).to_contain_text(CORRECTED)

    saved_text = path.read_text(encoding="utf-8")
    assert "    text: >-\n      هنا تتعلم كيف تعمل الرعاية الصحية في السويد.\n      وتعرف إلى أين" in saved_text
    today = datetime.date.today().isoformat()
    assert f"translation: {{status: reviewed, by: {communicators['ar']}, date: {today}}}" in saved_text
    assert [line for line in saved_text.splitlines() if line.lstrip().startswith("#")] == comments
    assert _eventually(lambda: CORRECTED in text_of(_arabic_answer(assistant, ITEM)), seconds=15)
    answer = _arabic_answer(assistant, ITEM)
    assert any(b["payload"] == replies.show_payload(ITEM, language="sv") for m in answer for b in m["buttons"])
    rows = [(e.actor, e.action, e.subject) for e in audit.entries(url=database_url(assistant))]
    assert (communicators["ar"], "translation_reviewed", f"ar/{ITEM}") in rows
    assert [e.item_id for e in editing.history(url=database_url(assistant), lang="ar")][:1] == [ITEM]


def test_a_communicator_of_another_language_cannot_approve(
    assistant: Assistant, communicators: dict[str, str], content: Path
) -> None:
    before = (content / "ar" / "halsoskola.yml").read_bytes()
    with _session(assistant, communicators["so"]) as (client, csrf):
        refused = client.post(f"{API}/ar/varden_1177/approve", json={"text": CORRECTED}, headers=csrf)
        assert (refused.status_code, refused.json()["error"]) == (403, "language_not_allowed")
        listing = client.get(API, params={"lang": "ar"})
        assert (listing.status_code, listing.json()["error"]) == (403, "language_not_allowed")
        assert client.get(API, params={"lang": "so"}).status_code == 200
    assert (content / "ar" / "halsoskola.yml").read_bytes() == before


def test_stale_texts_come_first_and_a_refused_correction_changes_nothing(
    assistant: Assistant, communicators: dict[str, str], content: Path
) -> None:
    editing.save_item(
        content, "sv", "varden_1177", {"title": "1177 – råd hela dygnet"}, "lena", url=database_url(assistant)
    )
    with _session(assistant, communicators["ar"]) as (client, csrf):

        def listed() -> dict:
            return client.get(API, params={"lang": "ar"}).json()

        assert _eventually(lambda: listed()["texts"][0]["id"] == "varden_1177", seconds=15)
        listing = listed()
        states = [text["state"] for text in listing["texts"]]
        assert states[0] == "stale" and states == sorted(states, key=lambda state: state != "stale")
        assert listing["progress"]["stale"] == states.count("stale") >= 1
        assert listing["dir"] == "rtl"
        assert listing["texts"][0]["source"]["title"] == "1177 – råd hela dygnet"

        before = (content / "ar" / "halsoskola.yml").read_bytes()
        too_long = client.post(f"{API}/ar/varden_1177/approve", json={"title": "نصائح " * 12}, headers=csrf)
        assert too_long.status_code == 422 and "rubriken är för lång" in too_long.json()["message"]
        assert (content / "ar" / "halsoskola.yml").read_bytes() == before
