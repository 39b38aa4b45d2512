"""Languages: identification, spelling folding, translations and what a participant is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import replies
from bot.content.coverage import coverage
from bot.content.store import ContentError, load
from bot.nlu.language import detect
from bot.nlu.normalize import fold


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("vem betalar etableringsersättning", "sv"),
        ("jag har ont i ryggen", "sv"),
        ("من يدفع etableringsersättning؟", "ar"),
        ("عندي ألم في الظهر", "ar"),
        ("ሕማም ሕቖ ኣለኒ", "ti"),
        ("Waxaan rabaa inaan tago vårdcentralen", "so"),
        ("waa maxay forsakringskassan", "so"),
        ("ok", None),
        ("112", None),
        ("hej", None),
        ('/show{"item": "somn"}', None),
        ("😀😀", None),
    ],
)
def test_language_of_a_message(text: str, lang: str | None) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("Vårdcentralen", "vardcentralen"),
        ("مُسْتَشْفَـــى", "مستشفي"),
        ("أين", "اين"),
        ("ሐኪም", "ሀኪም"),
        ("ኀይሊ", "ሀይሊ"),
        ("ሠናይ", "ሰናይ"),
        ("ፀሓይ", "ጸሃይ"),
        ("ዐዲ", "አዲ"),
    ],
)
def test_spelling_variants_fold_together(variant: str, plain: str) -> None:
    assert fold(variant) == plain


def test_translation_is_used_and_missing_parts_fall_back_to_swedish(content_dir: Path) -> None:
    content = load(content_dir)
    (translated,) = replies.answer(content, "somn", "ar")
    assert translated["text"].startswith("النوم")
    assert translated["custom"] == {"lang": "ar", "dir": "rtl", "item": "somn"}
    assert translated["buttons"][0] == {
        "title": "اعرض بالسويدية (svenska)",
        "payload": '/show{"item":"somn","language":"sv"}',
    }

    note, swedish = replies.answer(content, "somn_rad", "ar")
    assert note["text"] == "هذا النص غير متوفر بلغتك بعد. إليك النص بالسويدية."
    assert swedish["text"].startswith("Råd för bättre sömn")
    assert swedish["custom"]["lang"] == "sv"
    assert "التالي: لماذا ننام؟" not in [b["title"] for b in swedish["buttons"]]


def test_translated_trigger_opens_the_emergency(content_dir: Path) -> None:
    content = load(content_dir)
    assert content.urgent_item("أبي لا يَتنفّس") == "akut_112"
    assert content.urgent_item("سقط أبي ولا يتنفس") == "akut_112"
    assert content.urgent_item("لا يتنفسون بسهولة في الصيف") is None


def test_coverage_counts_translated_and_reviewed(content_dir: Path) -> None:
    rows = {row.lang: row for row in coverage(load(content_dir))}
    assert (rows["ar"].items, rows["ar"].translated, rows["ar"].reviewed, rows["ar"].missing) == (9, 5, 1, 4)
    assert rows["ti"].translated == 0


def test_translation_that_does_not_fit_swedish_is_reported(content_dir: Path) -> None:
    path = content_dir / "ar" / "halsa.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    steps:\n      - اذهب إلى السرير في الوقت المحدد.\n", "")
    text = text.replace("      - id: somn_varfor", "      - id: somn_varfur")
    text = text.replace("status: reviewed", "status: klar")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load(content_dir)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:10: status ska vara draft eller reviewed.",
    ]
    path.write_text(text.replace("status: klar", "status: reviewed"), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load(content_dir)
    assert [str(p) for p in raised.value.problems] == [
        f'{path}:7: "somn" har 0 steg, men 1 på svenska.',
        f'{path}:12: id "somn_varfur" finns inte i den svenska filen. Kolla stavningen.',
    ]


def test_coverage_counts_draft_and_stale_items_per_language(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    reviewed: 2026-11-23\n    scope: national\n    parts:",
        "    reviewed: 2026-11-23\n    changed: 2026-12-06\n    scope: national\n    parts:",
    )
    text = text.replace(
        "    source: https://www.1177.se/\n    reviewed: 2026-11-23\n", "    source: https://www.1177.se/\n"
    )
    path.write_text(text, encoding="utf-8")
    rows = {row.lang: row for row in coverage(load(content_dir))}
    # somn changed after its check; vardcentral was never checked; the other 7 are reviewed.
    assert (rows["sv"].reviewed, rows["sv"].draft, rows["sv"].stale, rows["sv"].missing) == (7, 1, 1, 0)
    # The reviewed Arabic somn is older than the Swedish change: stale. Sections and other items: draft.
    assert (rows["ar"].reviewed, rows["ar"].draft, rows["ar"].stale, rows["ar"].missing) == (0, 4, 1, 4)
