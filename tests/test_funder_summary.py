"""The funder's monthly summary end to end: real chats over the REST channel (Rasa, the action
server and the web server running), then the month's JSON and CSV as coordinators download them,
and the page's chart in headless Chromium.

The assistant is shared by the session, so every figure is checked as the difference a test's own
chats made. The action server counts after it has answered (one writer thread), so the figures are
read once the writer has caught up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.insights import usage
from bot.insights.models import UsageCount
from bot.settings import PROJECT_ROOT
from bot.storage.database import transaction
from tests.assistant import Assistant, answered_item
from tests.coordinator import LUND, MALMO, PASSWORD, Coordinator
from tests.test_emergency_triggers import triggers
from tests.test_handoff import book, inbox
from tests.test_insights import ENOUGH_SECONDS, _coordinator
from tests.test_widget import OUTPUT, TIMEOUT_MS

MONTH = dt.date.today().strftime("%Y-%m")
SWEDISH_QUESTION = "vem betalar etableringsersättning"
ARABIC_QUESTION = "من يدفع etableringsersättning؟"
ITEM = "etableringsersattning"


def _summary(coordinator: Coordinator, **params: str) -> dict[str, Any]:
    response = coordinator.http.get("/summary", params={"month": MONTH, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _settled_figures(coordinator: Coordinator) -> dict[str, int]:
    """The figures once counts still queued by earlier tests' answers are written (the action
    server's writer thread): the same twice, half a second apart."""
    figures = _figures(_summary(coordinator))
    deadline = time.monotonic() + ENOUGH_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.5)
        figures, previous = _figures(_summary(coordinator)), figures
        if figures == previous:
            break
    return figures


def _figures(summary: dict[str, Any]) -> dict[str, int]:
    """Every figure of a summary under one flat name, so two summaries can be subtracted."""
    found = {"conversations": summary["conversations"]["total"], "emergencies": summary["emergencies"]["total"]}
    found |= {f"channel {k}": n for k, n in summary["conversations"]["by_channel"].items()}
    for lang in summary["languages"]:
        found |= {
            f"conversations {lang['language']}": lang["conversations"],
            f"answers {lang['language']}": lang["answers"],
        }
    found |= {f"item {t['item']}": t["answers"] for t in summary["topics"]}
    found |= {f"emergency {e['item']}": e["shown"] for e in summary["emergencies"]["by_item"]}
    for handoff in summary["handoffs"]:
        found |= {f"requested {handoff['municipality']}": handoff["requested"]}
        found |= {f"booked {handoff['municipality']}": handoff["booked"]}
    return found


def _difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}


def _wait_for_counts(coordinator: Coordinator, before: dict[str, int], expected: dict[str, int]) -> None:
    """Returns once the figures have grown by at least `expected` (or after ENOUGH_SECONDS): the
    action server writes its counts in the background, after the answers (actions/base.py)."""
    deadline = time.monotonic() + ENOUGH_SECONDS
    while time.monotonic() < deadline:
        changed = _difference(before, _figures(_summary(coordinator)))
        if all(changed.get(name, 0) >= n for name, n in expected.items()):
            return
        time.sleep(0.2)


@pytest.fixture(scope="module")
def chats(assistant: Assistant, coordinators: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Real chats: a Swedish web conversation with an emergency, an Arabic one on Telegram, and two
    hand-off requests from the web (Malmö, booked by its coordinator; Lund, booked by the participant
    tapping a proposed time); the summary's
    figures before and after, and what a participant typed or was called, which must not appear."""
    team = _coordinator(assistant)  # "*": every municipality
    before = _settled_figures(team)
    web, telegram = f"web-{uuid.uuid4().hex}", f"tg-{uuid.uuid4().hex[:16]}"
    assert answered_item(assistant.say(SWEDISH_QUESTION, web)) == ITEM
    emergency_item, phrase = triggers("sv")[0]
    assert answered_item(assistant.say(phrase, web)) == emergency_item
    arabic = assistant.say(ARABIC_QUESTION, telegram)
    assert (answered_item(arabic), arabic[0]["custom"]["lang"]) == (ITEM, "ar")
    malmo_sender, lund_sender = f"web-{uuid.uuid4().hex}", f"web-{uuid.uuid4().hex}"
    reference = book(assistant, malmo_sender, MALMO)
    lund_reference = book(assistant, lund_sender, LUND)
    malmo = Coordinator(assistant, coordinators[MALMO])
    request_id = malmo.request_id(reference)
    assert malmo.post(f"/requests/{request_id}/claim", {}).status_code == 200
    assert malmo.post(f"/requests/{request_id}/status", {"status": "booked"}).status_code == 200  # on the page
    lund = Coordinator(assistant, coordinators[LUND])
    lund_id = lund.request_id(lund_reference)
    assert lund.post(f"/requests/{lund_id}/claim", {}).status_code == 200
    start = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    assert lund.post(f"/requests/{lund_id}/proposals", {"times": [f"{start}T10:00"]}).status_code == 200
    [proposed] = inbox(assistant, lund_sender.removeprefix("web-"))
    assistant.say(proposed["buttons"][0]["payload"], lund_sender)  # the participant taps the time
    lund.http.close()
    _wait_for_counts(team, before, {"conversations": 4, f"item {ITEM}": 2, "emergencies": 1})
    yield {
        "team": team,
        "malmo": malmo,
        "before": before,
        "emergency": emergency_item,
        "private": [web, telegram, malmo_sender, lund_sender, web.removeprefix("web-"), "Amal", phrase],
        "said": [SWEDISH_QUESTION, ARABIC_QUESTION],
    }
    malmo.http.close()
    team.http.close()


def test_the_months_figures_count_the_chats_conversations_languages_topics_emergencies_and_hand_offs(
    chats: dict[str, Any],
) -> None:
    changed = _difference(chats["before"], _figures(_summary(chats["team"])))
    emergency = chats["emergency"]
    assert changed["conversations"] == 4  # one per new conversation, however many messages it has
    assert (changed["channel web"], changed["channel telegram"]) == (3, 1)
    assert (changed["conversations sv"], changed["conversations ar"]) == (3, 1)
    assert changed["answers ar"] == 1
    assert changed[f"item {ITEM}"] == 2  # once in Swedish, once in Arabic
    assert (changed["emergencies"], changed[f"emergency {emergency}"], changed[f"item {emergency}"]) == (1, 1, 1)
    assert (changed[f"requested {MALMO}"], changed[f"booked {MALMO}"]) == (1, 1)  # booked on the page
    assert (changed[f"requested {LUND}"], changed[f"booked {LUND}"]) == (1, 1)  # booked by the participant


def test_the_json_and_csv_carry_no_sender_id_or_message_text(chats: dict[str, Any]) -> None:
    team: Coordinator = chats["team"]
    as_json = team.http.get("/summary", params={"month": MONTH})
    as_csv = team.http.get("/summary", params={"month": MONTH, "format": "csv"})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["content-disposition"] == f'attachment; filename="halsolotsen-{MONTH}.csv"'
    for private in chats["private"] + chats["said"]:
        assert private not in as_json.text and private not in as_csv.text, private
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    summary = as_json.json()
    [total] = [r for r in rows if r["mått"] == "samtal" and not r["kanal"] and not r["språk"]]
    assert int(total["antal"]) == summary["conversations"]["total"]
    [topic] = [r for r in rows if r["mått"] == "svar" and r["ämne"] == ITEM]
    assert int(topic["antal"]) == next(t["answers"] for t in summary["topics"] if t["item"] == ITEM)
    booked = [r for r in rows if r["mått"] == "hälsosamtal bokade" and r["kommun"] == MALMO]
    assert [int(r["antal"]) for r in booked] == [summary_handoff(summary, MALMO)["booked"]]


def summary_handoff(summary: dict[str, Any], municipality: str) -> dict[str, Any]:
    return next(h for h in summary["handoffs"] if h["municipality"] == municipality)


def test_a_malmo_coordinator_sees_no_lund_hand_off_figures(chats: dict[str, Any]) -> None:
    malmo: Coordinator = chats["malmo"]
    summary = _summary(malmo)
    assert [h["municipality"] for h in summary["handoffs"]] == [MALMO]
    assert summary_handoff(summary, MALMO)["booked"] >= 1
    assert summary["conversations"]["total"] >= 4  # the installation's own figures, the same for all
    as_csv = malmo.http.get("/summary", params={"month": MONTH, "format": "csv"}).text
    assert LUND not in as_csv and MALMO in as_csv


def test_the_summary_needs_a_login_and_a_real_month(assistant: Assistant, chats: dict[str, Any]) -> None:
    import httpx

    assert httpx.get(f"{assistant.web_url}/koordinator/api/summary?month={MONTH}", timeout=30).status_code == 401
    for month, format_ in (("2026-13", "json"), ("dec", "json"), (MONTH, "xlsx")):
        response = chats["team"].http.get("/summary", params={"month": month, "format": format_})
        assert response.status_code == 400
    empty = _summary(chats["team"], month="2001-01")
    assert (empty["conversations"]["total"], empty["topics"], empty["handoffs"]) == (0, [], [])


def test_the_page_draws_the_months_bars_with_their_numbers(
    browser: Browser, assistant: Assistant, chats: dict[str, Any]
) -> None:
    username = chats["team"].login.json()["username"]
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(assistant.web_url + "/koordinator/siffror")
    expect(page.locator("#summary")).to_be_hidden()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#status")).to_have_text(f"Siffror för {MONTH}.")

    handoffs = page.locator("section[aria-labelledby=chart-handoffs]")
    requested = handoffs.locator("li", has_text=f"{MALMO}: begärda")
    requested.scroll_into_view_if_needed()
    expect(requested).to_be_in_viewport()
    bar = requested.locator(".fill").bounding_box()
    track = requested.locator(".track").bounding_box()
    assert bar and track and bar["height"] >= 20 and bar["width"] > 0
    drawn = handoffs.locator("li").evaluate_all(
        """items => items.map(li => [Number(li.querySelector('.count').textContent),
            li.querySelector('.fill').getBoundingClientRect().width,
            li.querySelector('.track').getBoundingClientRect().width])"""
    )
    largest = max(count for count, _, _ in drawn)
    for count, width, room in drawn:  # each bar as long as its share of the largest count
        assert width == pytest.approx(max(2, room * count / largest), abs=1), drawn
    expect(requested.locator(".count")).to_have_text(str(summary_handoff(_summary(chats["team"]), MALMO)["requested"]))
    topics = page.locator("section[aria-labelledby=chart-topics] li")
    expect(topics.first).to_be_visible()
    for control in (page.get_by_role("button", name="Visa"), page.get_by_role("link", name="Ladda ner CSV")):
        box = control.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner CSV").click()
    assert download.value.suggested_filename == f"halsolotsen-{MONTH}.csv"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "funder-summary.png", full_page=True)
    context.close()


def test_the_forget_command_deletes_daily_counts_older_than_the_usage_retention(tmp_path: Path) -> None:
    """The hourly retention job (`bot forget`) enforces HALSOLOTSEN_USAGE_RETENTION_DAYS: a day older
    than it goes, the day at its edge stays."""
    url = f"sqlite:///{tmp_path / 'usage.db'}"
    old, kept = (dt.date.today() - dt.timedelta(days=days) for days in (11, 10))
    with transaction(url) as session:
        for day in (old, kept):
            usage.add(session, usage.ANSWER, "web", "sv", ITEM, day=day)
    env = {**os.environ, "HALSOLOTSEN_DATABASE_URL": url, "HALSOLOTSEN_USAGE_RETENTION_DAYS": "10"}
    command = [sys.executable, "-m", "bot", "forget", "--db-url", f"sqlite:///{tmp_path / 'tracker.db'}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 daily usage counts older than 10 days." in done.stdout
    with transaction(url) as session:
        assert list(session.scalars(select(UsageCount.day))) == [kept]
