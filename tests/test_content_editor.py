"""The content editor and "Lägg till som exempel på …" as a coordinator of the content team uses
them in real headless Chromium, against the test assistant's copy of content/ (issue 19).

Typing shows each problem right under its field; a save changes the YAML with its comments kept
and adds a history row; undo puts the file back as it was; an account that is not the content
team's is refused; a kept question becomes an example in its own language's YAML."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from bot.accounts import store as accounts
from tests.assistant import Assistant, new_sender
from tests.coordinator import MALMO, PASSWORD, Coordinator, database_url
from tests.test_insights import DRIVING_LICENCE, _topics_with, ask_about_a_new_place
from tests.test_widget import OUTPUT, TIMEOUT_MS

ITEM = "forsakringskassan"
ITEM_FILE = Path("sv") / "vem_gor_vad.yml"
COMMENT = "  # ---------- Myndigheter och andra ställen ----------"
HARD = (
    "Försäkringskassans handläggningstider för bostadsbidragsansökningar varierar beroende på "
    "ärendets komplexitet, inkomstuppgifternas fullständighet och eventuella kompletteringsbehov."
)
MIN_TAP_PX = 44
NEAR_PX = 80  # a problem this close under its field reads as belonging to it


def _content_team(assistant: Assistant) -> str:
    username = f"innehall-{uuid.uuid4().hex[:6]}"
    accounts.create(username, PASSWORD, "coordinator", ["*"], database_url(assistant))
    return username


def _logged_in(browser: Browser, assistant: Assistant, path: str, username: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(assistant.web_url + path)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#who")).to_have_text(f"Inloggad: {username}")
    return page


@pytest.fixture
def editor(browser: Browser, assistant: Assistant) -> Iterator[tuple[Page, str]]:
    username = _content_team(assistant)
    page = _logged_in(browser, assistant, f"/koordinator/redigera?item={ITEM}", username)
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value("Försäkringskassan")
    yield page, username
    page.context.close()


def _right_under(problem: Locator, field: Locator) -> None:
    """The problem is on screen, and starts just below the field it is about."""
    expect(problem).to_be_visible()
    field_box, problem_box = field.bounding_box(), problem.bounding_box()
    assert field_box and problem_box
    gap = problem_box["y"] - (field_box["y"] + field_box["height"])
    assert 0 <= gap <= NEAR_PX, (field_box, problem_box)


def _tap_size_ok(control: Locator) -> None:
    box = control.bounding_box()
    assert box and box["height"] >= MIN_TAP_PX and box["width"] >= MIN_TAP_PX, box


def test_typing_shows_problems_at_the_field_save_keeps_comments_and_undo_restores(
    editor: tuple[Page, str], assistant: Assistant
) -> None:
    page, username = editor
    path = assistant.content_dir / ITEM_FILE
    before = path.read_text(encoding="utf-8")
    text, title = page.get_by_label("Svaret", exact=True), page.get_by_label("Rubrik", exact=True)
    original = text.input_value()
    expect(page.locator("#lix")).to_contain_text("LIX")

    text.fill(f"{original} {HARD}")
    hard = page.locator("#problems-text")
    expect(hard).to_contain_text("svår att läsa", timeout=TIMEOUT_MS)
    _right_under(page.locator("#lix"), text)
    expect(page.locator("#lix")).to_have_attribute("data-over", "true")
    expect(page.locator("#preview-telegram")).to_contain_text("handläggningstider")
    expect(page.locator("#preview-widget")).to_contain_text("handläggningstider")

    title.fill("")
    empty = page.locator("#problems-title")
    expect(empty).to_contain_text("tom", timeout=TIMEOUT_MS)
    _right_under(empty, title)
    expect(title).to_have_attribute("aria-invalid", "true")
    # The file's broken links and words that follow from the empty title: one line, not a hundred.
    assert page.locator("#problems-terms li").count() == 0
    expect(page.locator("#problems-item li")).to_have_count(1)
    expect(page.locator("#problems-item")).to_contain_text("följer av felet ovan")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "editor.png", full_page=True)
    title.fill("Försäkringskassan")
    expect(empty).to_be_hidden(timeout=TIMEOUT_MS)

    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#save-status")).to_contain_text("Inget sparades", timeout=TIMEOUT_MS)
    assert path.read_text(encoding="utf-8") == before

    added = f"Du kan ringa dem {uuid.uuid4().hex[:4]}."
    text.fill(f"{original} {added}")
    expect(hard).to_be_hidden(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#save-status")).to_contain_text("Sparat", timeout=TIMEOUT_MS)
    saved = path.read_text(encoding="utf-8")
    assert added in saved
    assert COMMENT in saved and saved.count("\n  #") == before.count("\n  #")
    assert f"changed: {dt.date.today().isoformat()}" in saved
    row = page.locator("#history-body tr").first
    expect(row).to_contain_text(username, timeout=TIMEOUT_MS)
    expect(row).to_contain_text("text")

    for control in (
        page.get_by_role("button", name="Spara"),
        page.get_by_label("Ämne", exact=True),
        row.get_by_role("button", name="Ångra"),
    ):
        _tap_size_ok(control)
    page.screenshot(path=OUTPUT / "editor-saved.png", full_page=True)

    row.get_by_role("button", name="Ångra").click()
    expect(page.locator("#save-status")).to_have_text("Ändringen är ångrad.", timeout=TIMEOUT_MS)
    expect(text).to_have_value(original, timeout=TIMEOUT_MS)
    assert path.read_text(encoding="utf-8") == before
    expect(page.locator("#history-body tr").first).to_contain_text("ångrade", timeout=TIMEOUT_MS)


def test_only_the_content_team_may_save(assistant: Assistant) -> None:
    """A coordinator for one municipality, and a recorder, are refused with a 403; nothing is written."""
    path = assistant.content_dir / ITEM_FILE
    before = path.read_text(encoding="utf-8")
    for role, municipalities in (("coordinator", [MALMO]), ("recorder", [])):
        username = f"{role}-{uuid.uuid4().hex[:6]}"
        accounts.create(username, PASSWORD, role, municipalities, database_url(assistant))
        someone = Coordinator(assistant, username)
        fields = {"fields": {"text": "Försäkringskassan betalar ut pengar."}}
        assert someone.post(f"/content/items/{ITEM}", fields).status_code == 403
        assert someone.post("/insights/examples", {"lang": "sv", "item": ITEM, "text": "hej"}).status_code == 403
        someone.http.close()
    assert path.read_text(encoding="utf-8") == before


def test_a_kept_question_becomes_an_example_of_its_nearest_topic_in_its_language(
    browser: Browser, assistant: Assistant
) -> None:
    place = ask_about_a_new_place(assistant, DRIVING_LICENCE, new_sender())
    question = DRIVING_LICENCE.format(place=place)
    username = _content_team(assistant)
    reader = Coordinator(assistant, username)
    [topic] = _topics_with(reader, "ar", place)
    nearest = topic["choices"][0]
    page = _logged_in(browser, assistant, "/koordinator/insikter", username)  # shows every language
    kept = page.locator("li", has=page.get_by_text(question, exact=True))
    choice = kept.get_by_label("Lägg till som exempel på")
    expect(choice).to_have_value(nearest["id"])
    add = kept.get_by_role("button", name="Lägg till")
    add.scroll_into_view_if_needed()
    expect(add).to_be_in_viewport()
    _tap_size_ok(add)
    _tap_size_ok(choice)
    add.click()
    expect(kept.get_by_role("status")).to_have_text(f"Tillagd som exempel på {nearest['title']}.", timeout=TIMEOUT_MS)

    changed = [p for p in (assistant.content_dir / "ar").glob("*.yml") if question in p.read_text(encoding="utf-8")]
    assert len(changed) == 1, changed
    [edit] = reader.get(f"/content/history?item={nearest['id']}").json()["edits"][:1]
    assert (edit["lang"], edit["who"]) == ("ar", username)
    assert reader.post(f"/content/history/{edit['id']}/undo", {}).status_code == 200  # the shared copy as it was
    assert question not in changed[0].read_text(encoding="utf-8")
    reader.http.close()
    page.context.close()


def test_a_coordinator_for_one_municipality_is_told_who_can_edit(browser: Browser, assistant: Assistant) -> None:
    username = f"malmo-{uuid.uuid4().hex[:6]}"
    accounts.create(username, PASSWORD, "coordinator", [MALMO], database_url(assistant))
    page = _logged_in(browser, assistant, "/koordinator/redigera", username)
    expect(page.locator("#not-team")).to_be_visible()
    expect(page.locator("#not-team")).to_contain_text("Bara innehållsteamet")
    expect(page.get_by_role("button", name="Spara")).to_be_hidden()
    page.context.close()


def test_a_save_without_the_pages_token_or_with_odd_fields_is_refused_clearly(assistant: Assistant) -> None:
    """The content team too needs the CSRF token; fields of the wrong kind and unknown items get a
    clear 400 or 404; the file is left as it was."""
    path = assistant.content_dir / ITEM_FILE
    before = path.read_text(encoding="utf-8")
    team = Coordinator(assistant, _content_team(assistant))
    no_token = team.http.post(f"/content/items/{ITEM}", json={"fields": {"text": "Hej."}})
    assert (no_token.status_code, no_token.json()["error"]) == (403, "csrf")
    for body in ({"fields": {"title": 5}}, {"fields": {"source": "x"}}, {"fields": ["text"]}, {"text": "Hej."}):
        refused = team.post(f"/content/items/{ITEM}", body)
        assert (refused.status_code, refused.json()["error"]) == (400, "bad_fields"), body
    assert team.post("/content/items/finns_inte", {"fields": {"text": "Hej."}}).status_code == 404
    assert team.post("/content/history/999999999/undo", {}).status_code == 422
    team.http.close()
    assert path.read_text(encoding="utf-8") == before


def test_a_hand_edit_shows_in_the_editor_at_once(assistant: Assistant) -> None:
    """The YAML is the source of truth: the editor reads the file as it is now."""
    path = assistant.content_dir / ITEM_FILE
    before = path.read_text(encoding="utf-8")
    by_hand = "Försäkringskassan betalar ut pengar från staten, skrivet för hand."
    path.write_text(before.replace("Försäkringskassan betalar ut pengar från staten.", by_hand, 1), encoding="utf-8")
    try:
        team = Coordinator(assistant, _content_team(assistant))
        assert team.get(f"/content/items/{ITEM}").json()["fields"]["text"].startswith(by_hand)
        team.http.close()
    finally:
        path.write_text(before, encoding="utf-8")
