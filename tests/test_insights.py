"""Insights for content work: the questions the assistant could not answer, scrubbed of personal
data, grouped by language and nearest topic with counts per week, for logged-in coordinators only."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.accounts import store as accounts
from bot.content import replies, ui_text
from bot.content.store import load
from bot.handoff import audit
from bot.insights import store
from bot.insights.models import OUT_OF_SCOPE, UNSURE, UnansweredQuestion
from bot.insights.scrub import EMAIL, IDENTITY_NUMBER, MAX_CHARS, NAME, NUMBER, PHONE, scrub, worth_keeping
from bot.settings import PROJECT_ROOT
from bot.storage.database import transaction
from tests.assistant import Assistant, answered_item, new_sender, text_of
from tests.coordinator import API, PASSWORD, Coordinator, database_url

# ---------------------------------------------------------------- scrubbing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ring mig på 070-123 45 67 om tandläkare", f"ring mig på {PHONE} om tandläkare"),
        ("Mitt nummer är 0701234567, vad gör jag?", f"Mitt nummer är {PHONE}, vad gör jag?"),
        ("call +46 70 123 45 67 please", f"call {PHONE} please"),
        ("xiriir +252 61 5123456 dhakhtar", f"xiriir {PHONE} dhakhtar"),
        ("رقمي ٠٧٠١٢٣٤٥٦٧ كيف أحجز موعد", f"رقمي {PHONE} كيف أحجز موعد"),
        ("hemnummer 08-123 456 78", f"hemnummer {PHONE}"),
    ],
)
def test_phone_numbers_are_taken_out(question: str, expected: str) -> None:
    assert scrub(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("personnummer 19900101-1234 hur gör jag", f"personnummer {IDENTITY_NUMBER} hur gör jag"),
        ("pnr 900101-1234", f"pnr {IDENTITY_NUMBER}"),
        ("samordningsnummer 900161+1234?", f"samordningsnummer {IDENTITY_NUMBER}?"),
        # Without a dash only a real date with a right check digit is a personnummer ...
        ("8112189876 är mitt nummer", f"{IDENTITY_NUMBER} är mitt nummer"),
        # ... other long digit runs are still taken out.
        ("kort 1234 5678 9012 3456", f"kort {NUMBER}"),
        ("postnummer 123 45 Malmö", f"postnummer {NUMBER} Malmö"),
        ("ärende 98765 i maj", f"ärende {NUMBER} i maj"),
    ],
)
def test_personal_identity_numbers_and_long_digit_runs_are_taken_out(question: str, expected: str) -> None:
    assert scrub(question) == expected


def test_short_numbers_that_matter_for_content_stay() -> None:
    assert scrub("ska jag ringa 1177 eller 112? jag är 45 år och har 3 barn") == (
        "ska jag ringa 1177 eller 112? jag är 45 år och har 3 barn"
    )


def test_email_addresses_are_taken_out() -> None:
    assert scrub("maila anna.svensson+1177@example.co.uk om vårdcentralen") == f"maila {EMAIL} om vårdcentralen"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Jag heter Anna Svensson och undrar om BankID", f"Jag heter {NAME} och undrar om BankID"),
        ("jag heter anna och jag har ont", f"jag heter {NAME} och jag har ont"),
        ("Hej! Jag heter Ali Hassan Mohamed Abdi och bor i Malmö", f"Hej! Jag heter {NAME} och bor i Malmö"),
        ("Mitt namn är Sara. Var finns vårdcentralen?", f"Mitt namn är {NAME}. Var finns vårdcentralen?"),
        ("My name is John, where is BankID?", f"My name is {NAME}, where is BankID?"),
        ("اسمي محمد أحمد كيف أحجز موعد", f"اسمي {NAME} كيف أحجز موعد"),
        ("ስመይ ሳባ ተስፋይ እየ ሓኪም ከመይ ክረክብ", f"ስመይ {NAME} እየ ሓኪም ከመይ ክረክብ"),
        ("Magacaygu waa Faadumo Cali, sideen u helaa dhakhtar", f"Magacaygu waa {NAME}, sideen u helaa dhakhtar"),
    ],
)
def test_names_after_a_self_introduction_are_taken_out(question: str, expected: str) -> None:
    assert scrub(question) == expected


def test_everything_at_once_leaves_the_question() -> None:
    scrubbed = scrub("Jag heter Anna Berg, 19900101-1234, ring 0701234567 eller anna@berg.se: vad kostar tandläkaren?")
    assert scrubbed == f"Jag heter {NAME}, {IDENTITY_NUMBER}, ring {PHONE} eller {EMAIL}: vad kostar tandläkaren?"


def test_long_questions_are_cut_and_spaces_folded() -> None:
    scrubbed = scrub("jag har   ont\n" * 100)
    assert len(scrubbed) == MAX_CHARS
    assert scrubbed.endswith("…")
    assert "\n" not in scrubbed


def test_only_questions_with_words_left_are_worth_keeping() -> None:
    assert worth_keeping(scrub("vad är BankID"))
    assert not worth_keeping(scrub("0701234567"))
    assert not worth_keeping(scrub("??? 123456"))


# ---------------------------------------------------------------- grouping and counting

MONDAY = dt.date(2026, 11, 16)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'insights.db'}"


def _asked(language: str, kind: str, topic: str | None, title: str | None, text: str, day: dt.date, url: str) -> None:
    """A question counted, then kept after the participant's yes."""
    store.record(language, kind, topic, title, day, url=url)
    store.keep_text(language, kind, topic, title, text, day, url=url)


def test_a_question_is_counted_without_its_text_until_the_participant_says_yes(url: str) -> None:
    for _ in range(3):
        store.record("ar", UNSURE, "tandvard", "Tandvård", MONDAY, url=url)
    store.keep_text("ar", UNSURE, "tandvard", "Tandvård", "كيف احجز موعد", MONDAY, url=url)
    with transaction(url) as session:
        rows = [(row.text, row.consented) for row in session.scalars(select(UnansweredQuestion))]
    assert sorted(rows) == [("", False), ("", False), ("كيف احجز موعد", True)]  # the yes filled a counted row
    [dental] = store.summary(1, today=MONDAY, url=url)["languages"][0]["topics"]
    assert (dental["total"], dental["kept"]) == (3, 1)
    assert dental["examples"] == [{"text": "كيف احجز موعد", "count": 1}]


def test_a_table_made_before_participants_were_asked_is_altered_and_its_texts_emptied(tmp_path: Path) -> None:
    """The baseline migration (bot/storage/migrations/versions/0001_baseline.py) adds the column to
    a database made before, and forgets the texts nobody said yes to; counts stay."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE unanswered_questions (id INTEGER PRIMARY KEY, day DATE NOT NULL,"
            " language VARCHAR(8) NOT NULL, kind VARCHAR(16) NOT NULL, topic VARCHAR(64),"
            " topic_title VARCHAR(200), text VARCHAR(300) NOT NULL)"
        )
        old.execute(
            "INSERT INTO unanswered_questions VALUES (1, '2026-11-16', 'sv', 'unsure', NULL, NULL, 'Sara Yusuf')"
        )
    url = f"sqlite:///{path}"
    summary = store.summary(1, today=MONDAY, url=url)
    assert summary["total"] == 1
    assert summary["languages"][0]["topics"][0]["examples"] == []
    with sqlite3.connect(path) as altered:
        assert altered.execute("SELECT text, consented FROM unanswered_questions").fetchall() == [("", 0)]


def test_questions_are_grouped_by_language_then_topic_with_counts_per_week(url: str) -> None:
    last_week = MONDAY - dt.timedelta(days=1)
    _asked("ar", UNSURE, "tandvard", "Tandvård", "كيف احجز موعد", MONDAY, url=url)
    _asked("ar", UNSURE, "tandvard", "Tandvård", "كيف احجز موعد", MONDAY + dt.timedelta(days=6), url=url)
    _asked("ar", OUT_OF_SCOPE, "tandvard", "Tandvård", "من فاز", last_week, url=url)
    _asked("ar", UNSURE, None, None, "بلا بلا", MONDAY, url=url)
    _asked("so", UNSURE, "tandvard", "Tandvård", "dhakhtar ilkaha", MONDAY, url=url)
    _asked("sv", UNSURE, "somn", "Sömn", "för gammalt", MONDAY - dt.timedelta(weeks=2), url=url)

    summary = store.summary(2, today=MONDAY + dt.timedelta(days=3), url=url)

    assert summary["weeks"] == [{"start": "2026-11-09", "week": 46}, {"start": "2026-11-16", "week": 47}]
    assert summary["total"] == 5
    assert [group["language"] for group in summary["languages"]] == ["ar", "so"]
    arabic = summary["languages"][0]
    assert arabic["counts"] == [1, 3]
    assert arabic["total"] == 4
    assert [(topic["topic"], topic["title"], topic["counts"]) for topic in arabic["topics"]] == [
        ("tandvard", "Tandvård", [1, 2]),
        (None, None, [0, 1]),
    ]
    dental = arabic["topics"][0]
    assert dental["kinds"] == {OUT_OF_SCOPE: 1, UNSURE: 2}
    assert dental["examples"] == [{"text": "كيف احجز موعد", "count": 2}, {"text": "من فاز", "count": 1}]


def test_the_summary_can_be_for_one_language(url: str) -> None:
    _asked("ar", UNSURE, None, None, "كيف احجز موعد", MONDAY, url=url)
    _asked("so", UNSURE, None, None, "dhakhtar ilkaha", MONDAY, url=url)
    summary = store.summary(1, "so", today=MONDAY, url=url)
    assert [group["language"] for group in summary["languages"]] == ["so"]
    assert summary["total"] == 1


def test_examples_are_the_most_asked_first_and_few(url: str) -> None:
    for n in range(store.MAX_EXAMPLES + 2):
        for _ in range(n + 1):
            _asked("sv", UNSURE, None, None, f"fråga {n}", MONDAY, url=url)
    examples = store.summary(1, today=MONDAY, url=url)["languages"][0]["topics"][0]["examples"]
    assert [example["count"] for example in examples] == [7, 6, 5, 4, 3]


def test_questions_older_than_the_retention_are_forgotten(url: str) -> None:
    _asked("sv", UNSURE, None, None, "gammal fråga", MONDAY - dt.timedelta(days=91), url=url)
    _asked("sv", UNSURE, None, None, "ny fråga", MONDAY - dt.timedelta(days=90), url=url)
    assert store.forget_old(90, today=MONDAY, url=url) == 1
    assert store.summary(53, today=MONDAY, url=url)["total"] == 1


def test_the_forget_command_also_forgets_old_questions(url: str, tmp_path: Path) -> None:
    _asked("sv", UNSURE, None, None, "gammal fråga", dt.date.today() - dt.timedelta(days=11), url=url)
    _asked("sv", UNSURE, None, None, "ny fråga", dt.date.today(), url=url)
    env = {**os.environ, "HALSOLOTSEN_DATABASE_URL": url, "HALSOLOTSEN_INSIGHTS_RETENTION_DAYS": "10"}
    command = [sys.executable, "-m", "bot", "forget", "--db-url", f"sqlite:///{tmp_path / 'tracker.db'}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 unanswered questions older than 10 days." in done.stdout
    assert store.summary(4, url=url)["total"] == 1


# ---------------------------------------------------------------- end to end

ENOUGH_SECONDS = 30  # a wait for the action server's background write, not a speed goal
LETTERS = str.maketrans("0123456789", "ghijklmnop")  # for unique words without digits, which are scrubbed
# Unique nonsense without vowels: g-p and a-f letters can spell words ("jag", "bad"); one such
# question was once answered.
CONSONANTS = str.maketrans("0123456789abcdef", "zxvwkjbpzxvwkjbp")
ARABIC_LETTERS = str.maketrans("0123456789abcdef", "ابتثجحخدذرزسشصضط")
DRIVING_LICENCE = "كيف أجدد رخصة القيادة في {place}؟"  # "How do I renew my driving licence in …?"


def _coordinator(
    assistant: Assistant, role: str = "coordinator", municipalities: tuple[str, ...] = ("*",)
) -> Coordinator:
    """A new account of `role`, logged in over HTTP."""
    username = f"insights-{uuid.uuid4().hex[:8]}"
    accounts.create(username, PASSWORD, role, list(municipalities), url=database_url(assistant))
    coordinator = Coordinator(assistant, username)
    assert coordinator.login.status_code == 200
    return coordinator


def _insights(coordinator: Coordinator, **params: Any) -> httpx.Response:
    return coordinator.http.get("/insights", params=params)


def _topics_with(coordinator: Coordinator, lang: str, word: str) -> list[dict[str, Any]]:
    """The topic groups of `lang` with an example containing `word`, once it is written."""
    deadline = time.monotonic() + ENOUGH_SECONDS
    while True:
        response = _insights(coordinator, weeks=1, lang=lang)
        assert response.status_code == 200
        groups = response.json()["languages"]
        found = [t for g in groups for t in g["topics"] if any(word in e["text"] for e in t["examples"])]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _stored_with(assistant: Assistant, word: str) -> list[str]:
    """The texts in the assistant's insights table that contain `word`."""
    with transaction(database_url(assistant)) as session:
        return list(session.scalars(select(UnansweredQuestion.text).where(UnansweredQuestion.text.contains(word))))


def _kept_with(assistant: Assistant, word: str) -> list[str]:
    """Like _stored_with, once the action server's writer has written it."""
    deadline = time.monotonic() + ENOUGH_SECONDS
    while not (found := _stored_with(assistant, word)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def keep_buttons(messages: list[dict[str, Any]]) -> dict[str, str]:
    """The keep question's buttons (title → payload), if the messages end with it."""
    last = messages[-1] if messages else {}
    return {b["title"]: b["payload"] for b in last.get("buttons", []) if b["payload"].startswith("/keep_question")}


def ask_and_keep(assistant: Assistant, question: str, sender: str) -> list[dict[str, Any]]:
    """Asks a question the assistant cannot answer and taps yes to keeping it; the answer's messages."""
    messages = assistant.say(question, sender)
    _keep(assistant, messages, sender)
    return messages


def ask_about_a_new_place(assistant: Assistant, template: str, sender: str) -> str:
    """Asks `template` ("… {place} …") about a made-up place, unique to the test, that no topic
    answers, and taps yes to keeping it; the place.

    The place is random Arabic letters, and the model reads them: about one name in fifteen tips
    the driving-licence question to a topic (two fresh-clone CI runs failed on such names). So up to
    five names are asked; an answered question keeps nothing. Five answered in a row fail the test."""
    for _ in range(5):
        place = uuid.uuid4().hex[:6].translate(ARABIC_LETTERS)
        messages = assistant.say(template.format(place=place), sender)
        if answered_item(messages) is None and keep_buttons(messages):
            _keep(assistant, messages, sender)
            return place
    pytest.fail(f"five questions like {template!r} about made-up places were all answered by a topic")


def _keep(assistant: Assistant, messages: list[dict[str, Any]], sender: str) -> None:
    """Taps yes on the keep question that ends `messages`, and checks the thanks."""
    [yes] = [payload for payload in keep_buttons(messages).values() if '"confirm":"yes"' in payload]
    answer = assistant.say(yes, sender)
    lang = answer[0]["custom"]["lang"]
    assert replies.ui(load(assistant.content_dir), ui_text.QUESTION_KEPT, lang) in text_of(answer)


def _counted(assistant: Assistant) -> int:
    with transaction(database_url(assistant)) as session:
        return len(list(session.scalars(select(UnansweredQuestion.id))))


def test_without_a_yes_a_question_is_counted_and_its_text_never_kept(assistant: Assistant) -> None:
    """Issue 17: the text is kept only after a one-tap yes; no tap or "Nej" keeps language, topic and
    day. The keep question has exactly two buttons, and the conversation goes on without a tap."""
    ignored, refused, kept = (f"blorf {uuid.uuid4().hex[:6].translate(CONSONANTS)} zzzt" for _ in range(3))
    sender, before = new_sender(), _counted(assistant)
    asked = assistant.say(ignored, sender)
    assert answered_item(asked) is None
    content = load(assistant.content_dir)
    lang = asked[-1]["custom"]["lang"]  # a nonsense word may be taken for Somali (about one in six)
    assert asked[-1]["text"] == replies.ui(content, ui_text.KEEP_QUESTION_ASK, lang)
    assert list(keep_buttons(asked)) == [
        content.ui_text(ui_text.BUTTON_YES, lang),
        content.ui_text(ui_text.BUTTON_NO, lang),
    ]
    assert answered_item(assistant.say("vad är en vårdcentral", sender)) == "vardcentral"  # it goes on
    # By payload, and read in the answer's language: a nonsense word may be taken for Somali.
    [no] = [payload for payload in keep_buttons(assistant.say(refused, sender)).values() if '"confirm":"no"' in payload]
    answer = assistant.say(no, sender)
    assert replies.ui(content, ui_text.QUESTION_NOT_KEPT, answer[0]["custom"]["lang"]) in text_of(answer)
    ask_and_keep(assistant, kept, sender)
    assert _kept_with(assistant, kept.split()[1])  # one writer thread, in order: the others were written before
    assert not _stored_with(assistant, ignored.split()[1]) and not _stored_with(assistant, refused.split()[1])
    assert _counted(assistant) - before >= 3


def test_a_typed_yes_payload_cannot_keep_what_was_not_asked_about(assistant: Assistant) -> None:
    """The yes names a message by its place; one the assistant did not ask about (here a name typed
    into the hand-off form) is not kept, and a second yes does not keep a question twice."""
    name = f"Blorfa Zqx{uuid.uuid4().hex[:6].translate(LETTERS)}"
    question = f"blorf {uuid.uuid4().hex[:6].translate(LETTERS)} zzzt"
    sender = new_sender()
    assistant.say("jag vill prata med en koordinator", sender)  # message 1
    assistant.say(replies.choice_payload("yes"), sender)  # 2
    assistant.say(name, sender)  # 3: the name
    assistant.say("avbryt", sender)  # 4
    forged = text_of(assistant.say('/keep_question{"question":"3","confirm":"yes"}', sender))  # 5
    assert replies.ui(load(assistant.content_dir), ui_text.QUESTION_NOT_KEPT, "sv") in forged
    yes = keep_buttons(assistant.say(question, sender))  # 6
    payload = next(p for p in yes.values() if '"yes"' in p)
    assistant.say(payload, sender)
    assistant.say(payload, sender)
    assert len(_kept_with(assistant, question.split()[1])) == 1
    assert not _stored_with(assistant, name.split()[1])


def test_an_unanswered_question_reaches_the_coordinators_scrubbed_and_counted(assistant: Assistant) -> None:
    # "How do I renew my driving licence in <a place>? My number is …", in Arabic-Indic digits.
    senders = [new_sender(), new_sender()]
    template = DRIVING_LICENCE + " رقمي ٠٧٣٩٨٧٦٥٤٣"
    place = ask_about_a_new_place(assistant, template, senders[0])
    question = template.format(place=place)
    assert answered_item(ask_and_keep(assistant, question, senders[1])) is None  # the closest topics, no answer
    assert not keep_buttons(assistant.say(question, senders[0]))  # the same person again: one asker, not asked

    coordinator = _coordinator(assistant)
    found = _topics_with(coordinator, "ar", place)
    body = _insights(coordinator, weeks=1).text

    assert len(found) == 1
    assert found[0]["topic"] and found[0]["title"]
    assert sum(found[0]["counts"]) == found[0]["total"] >= 2
    assert {"text": f"كيف أجدد رخصة القيادة في {place}؟ رقمي {PHONE}", "count": 2} in found[0]["examples"]
    assert "٠٧٣٩٨٧٦٥٤٣" not in body and "0739876543" not in body
    assert not any(sender in body for sender in senders)
    with transaction(database_url(assistant)) as session:
        values = [str(value) for row in session.scalars(select(UnansweredQuestion)) for value in vars(row).values()]
    assert not any(sender in value for value in values for sender in senders)
    assert not any("٠٧٣٩٨٧٦٥٤٣" in value for value in values)
    looks = [entry.actor for entry in audit.entries(url=database_url(assistant)) if entry.action == "view_insights"]
    assert coordinator.login.json()["username"] in looks


def test_a_swedish_question_is_kept_under_swedish_without_name_or_email(assistant: Assistant) -> None:
    name = f"Zqx{uuid.uuid4().hex[:6].translate(LETTERS)}"
    messages = ask_and_keep(
        assistant, f"Jag heter Anna {name}, hur förnyar jag mitt körkort? Maila anna.zqx@example.com", new_sender()
    )
    assert answered_item(messages) in (None, "out_of_scope")  # unsure, or sure it is not ours
    coordinator = _coordinator(assistant)
    found = _topics_with(coordinator, "sv", "förnyar jag mitt körkort")
    body = _insights(coordinator, weeks=1).text
    texts = [e["text"] for topic in found for e in topic["examples"] if "körkort" in e["text"]]
    assert f"Jag heter {NAME}, hur förnyar jag mitt körkort? Maila {EMAIL}" in texts
    assert name not in body and "example.com" not in body


def test_answers_to_the_hand_off_form_are_never_kept(assistant: Assistant) -> None:
    """A name typed into the form, without "jag heter", would survive scrubbing: the form's
    answers must not reach the table at all."""
    name = f"Blorfa Zqx{uuid.uuid4().hex[:6].translate(LETTERS)}"
    after = f"quxx{uuid.uuid4().hex[:6].translate(LETTERS)}"
    sender = new_sender()
    assistant.say("jag vill prata med en koordinator", sender)
    asked = text_of(assistant.say(replies.choice_payload("yes"), sender))
    assert load(assistant.content_dir).ui_text(ui_text.HANDOFF_ASK_NAME, "sv") in asked
    assistant.say(name, sender)
    assistant.say("avbryt", sender)
    assert answered_item(ask_and_keep(assistant, f"blorf {after} zzzt", sender)) is None
    # One writer thread, in order: once this question is in, the name would be too.
    assert _kept_with(assistant, after), "the question after the form was not kept"
    assert not _stored_with(assistant, name.split()[1])


def test_a_municipalitys_coordinator_sees_the_counts_but_not_the_kept_texts(assistant: Assistant) -> None:
    """A kept question does not say where it came from: only the content team ("*") reads it."""
    word = uuid.uuid4().hex[:8].translate(LETTERS)
    asked = ask_and_keep(assistant, f"hur förnyar jag mitt körkort i {word}", new_sender())
    assert asked[-1]["custom"]["lang"] == "sv"  # not Somali for one Somali-looking place name
    content_team = _coordinator(assistant)
    found = _topics_with(content_team, "sv", word)
    assert found, "the kept question never reached the content team"
    local = _insights(_coordinator(assistant, municipalities=("Malmö",)), weeks=1, lang="sv")
    assert local.status_code == 200
    summary = local.json()
    assert summary["texts_shown"] is False and word not in local.text
    topics = [topic for group in summary["languages"] for topic in group["topics"]]
    assert sum(topic["total"] for topic in topics) >= 1
    assert all(topic["examples"] == [] for topic in topics)


def test_insights_need_a_coordinators_login(assistant: Assistant) -> None:
    assert httpx.get(f"{assistant.web_url}{API}/insights", timeout=30).status_code == 401
    assert _insights(_coordinator(assistant, role="recorder")).status_code == 403


def test_the_insights_api_refuses_odd_filters(assistant: Assistant) -> None:
    coordinator = _coordinator(assistant)
    for params in ({"weeks": "0"}, {"weeks": "54"}, {"weeks": "x"}, {"lang": "xx"}):
        response = _insights(coordinator, **params)
        assert response.status_code == 400, params
        assert response.json()["message"]


def test_the_insights_page_is_served_without_data_and_not_framable(assistant: Assistant) -> None:
    response = httpx.get(f"{assistant.web_url}/koordinator/insikter", timeout=30)
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "../static/coordinator/insights.js" in response.text
    assert httpx.get(f"{assistant.web_url}/static/coordinator/insights.js", timeout=30).status_code == 200
