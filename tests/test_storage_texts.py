"""What participants read about storage matches what the code keeps (issue 17).

Every text about storage, in every language, names its periods only through the blank of the
setting that governs them ({hours}: conversations, {days}: hand-off requests, {question_days}:
unanswered questions and 👍/👎 ratings, {usage_days}: the daily counts without identity), never as
a written number, and shows the setting's value once filled in. No text promises that nothing is
kept, or that everything is deleted: deleting leaves the questions a participant let us keep, and
Telegram's own copies.
"""

from __future__ import annotations

import re

import pytest

from bot.content import replies, ui_text
from bot.content.store import load
from bot.settings import (
    CONTENT_DIR,
    CONVERSATION_RETENTION_HOURS,
    HANDOFF_RETENTION_DAYS,
    INSIGHTS_RETENTION_DAYS,
    USAGE_RETENTION_DAYS,
)

CONTENT = load(CONTENT_DIR)
LANGUAGES = CONTENT.languages()

# Each text about storage and the periods it must state, by the blank of the governing setting.
PERIODS = {
    ui_text.DATA_FIGURES: {"hours"},
    # DATA_FIGURES, shown just above it, says the hours; the counts and ratings, kept without identity,
    # are said here too (what is counted: day, language, topic; 👍/👎)
    ui_text.DATA_STORED: {"days", "question_days", "usage_days"},
    ui_text.DATA_DELETED: {"question_days"},
    ui_text.HANDOFF_CONSENT: {"days"},
    ui_text.HANDOFF_CONSENT_NO: {"hours"},
    ui_text.HANDOFF_NOT_SENT: {"hours"},
    ui_text.HANDOFF_CANCELLED: {"hours"},
    ui_text.KEEP_QUESTION_ASK: {"question_days"},
    ui_text.QUESTION_KEPT: {"question_days"},
    ui_text.QUESTION_NOT_KEPT: {"hours"},
}
SETTINGS = {
    "hours": f"{CONVERSATION_RETENTION_HOURS:g}",
    "days": str(HANDOFF_RETENTION_DAYS),
    "question_days": str(INSIGHTS_RETENTION_DAYS),
    "usage_days": str(USAGE_RETENTION_DAYS),
}
# Promises the code cannot keep, in each language: "everything is deleted", "I keep nothing",
# "I always ask before I keep anything".
OVERCLAIMS = {
    "sv": ["allt är raderat", "jag sparar inget", "sparar inte det du skriver", "frågar dig alltid", "radera allt"],
    "ar": ["حُذف كل شيء", "لن أحفظ شيئًا", "احذف كل شيء"],
    "ti": ["ኩሉ ተደምሲሱ", "ዝኾነ ነገር ኣይዕቅብን", "ኩሉ ደምስስ"],
    "so": ["wax walba waa la tirtiray", "waxba ma kaydinayo", "tirtir wax walba"],
}
DIGITS = re.compile(r"\d+")
EMERGENCY_NUMBERS = {"112", "1177"}  # HANDOFF_CONSENT_NO names where else to turn


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", sorted(PERIODS))
def test_each_storage_text_states_its_periods_through_the_settings_blanks(key: str, lang: str) -> None:
    raw = CONTENT.ui_text(key, lang)
    used = set(re.findall(r"{(\w+)}", raw)) & set(SETTINGS)
    assert used == PERIODS[key], f"{lang} {key}: says {used}, should say {PERIODS[key]}"
    assert key in ui_text.PLACEHOLDERS and used <= ui_text.PLACEHOLDERS[key]
    written = set(DIGITS.findall(re.sub(r"{\w+}", "", raw))) - EMERGENCY_NUMBERS
    assert not written, f"{lang} {key}: a period written as a number ({written}) instead of its blank"
    shown = replies.ui(CONTENT, key, lang)
    assert "{" not in shown.replace("{messages}", "")
    for name in used:
        assert SETTINGS[name] in shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_stored_data_view_shows_every_period_from_the_settings(lang: str) -> None:
    figures, stored = replies.stored_data(CONTENT, lang, 3, "/yes", "/no")
    shown = figures["text"] + "\n" + stored["text"]
    for value in SETTINGS.values():
        assert value in shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_promises_more_deletion_or_less_storage_than_the_code_does(lang: str) -> None:
    texts = [replies.ui(CONTENT, key, lang) for key in sorted(ui_text.ALL) if CONTENT.ui_text(key, lang)]
    texts += [CONTENT.localized(node, lang).text for node in CONTENT.items]
    for text in texts:
        for claim in OVERCLAIMS[lang]:
            assert claim.lower() not in text.lower(), f"{lang}: {claim!r} in {text!r}"
