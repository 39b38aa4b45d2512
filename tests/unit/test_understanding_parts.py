"""The parts of understanding that need no servers: languages, terms, triggers, retrieval, cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.content.store import ContentError, load
from bot.nlu import language, other_languages
from bot.nlu.encoder import CachedEncoder
from bot.nlu.retrieval import ContentIndex, best_part
from bot.settings import CONTENT_DIR, NLU_DIR


@pytest.fixture(scope="module")
def content():
    return load(CONTENT_DIR)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("من مریض هستم و سرم درد می‌کند", other_languages.PERSIAN),
        ("زه ناروغ یم، ډاکټر ته اړتیا لرم", other_languages.PASHTO),
        ("من نەخۆشم، دەمەوێت دکتۆر ببینم", other_languages.SORANI),
        ("میں بیمار ہوں، مجھے ڈاکٹر چاہیے", other_languages.URDU),
        ("ታምሜአለሁ ሐኪም እፈልጋለሁ", other_languages.AMHARIC),
        ("عندي وجع راس", None),
        ("شلون اروح للطبيب گلبي يوجعني", None),  # Iraqi Arabic borrows گ
        ("ሕማም ርእሲ ኣለኒ", None),
        ("jag har ont i ryggen", None),
    ],
)
def test_languages_in_our_scripts_that_we_do_not_answer_are_recognised(text: str, expected: str | None) -> None:
    assert other_languages.detect(text) == expected
    if expected:
        assert language.detect(text) is None  # never answered as Arabic or Tigrinya


@pytest.mark.parametrize(
    "text",
    [
        "ጓለይ ረስኒ አለዋ ማይ ክትሰቲ ኣይትደልን ሐኪም ክወስዳ ዶ",  # "doctor" spelled ሐኪም, as in Amharic
        "ተርጓሚ ምስ ሐኪም ብነፃ ድዩ",
        "ሀኪም",
    ],
)
def test_tigrinya_that_spells_doctor_as_amharic_does_is_still_tigrinya(text: str) -> None:
    assert other_languages.detect(text) is None
    assert language.detect(text) == "ti"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3andi wja3 b rasi", "ar"),
        ("bdi e7ki ma3 7ada", "ar"),
        ("ana mareed el yom", "ar"),
        ("shukran", "ar"),
        ("shukran walaal", "so"),  # a Somali speaker's thanks: not decided by one Arabic word
        ("waxaan qabaa xanuun dhabarka ah", "so"),
        ("min vårdcentral är stängd idag", "sv"),
        ("hallå jag behöver hjälp med sjukpenning", "sv"),
        ("hur förnyar jag mitt körkort i gmkefphe", "sv"),  # one Somali-looking place name
        # ... and an e-mail address whose English once outweighed the Swedish
        ("Jag heter Anna Zqxdbdhki, hur förnyar jag mitt körkort? Maila anna.zqx@example.com", "sv"),
        ("lägenhet ma heli karaa", "so"),  # a Swedish word in a Somali sentence
        ("selam kemey aleka", "ti"),  # Tigrinya typed in Latin letters: lingua alone said Somali
        ("dqas yebleyn bejaka", "ti"),
        ("kemey", "ti"),
        ("wedey kab sfi kemelese kulu gzie hazun eyu", "ti"),  # was Somali
        ("rsey kulu mealti yhmmeni", "ti"),  # was Swedish
        ("caafimaadka iyu shaqada", "so"),  # one Tigrinya-looking typo in Somali decides nothing
    ],
)
def test_arabizi_is_arabic_and_swedish_or_somali_stay_theirs(text: str, expected: str | None) -> None:
    assert language.detect(text) == expected


def test_a_harmless_phrase_disarms_a_trigger_but_the_emergency_still_fires(content) -> None:
    assert content.urgent_item("det brinner i halsen när jag äter") is None
    assert content.urgent_item("det brinner i köket") == "akut_112"
    assert content.urgent_item("det brinner i halsen och det brinner i köket") == "akut_112"


def test_much_blood_is_112_in_arabic_as_in_the_other_languages_but_a_blood_test_is_not(content) -> None:
    """Swedish "mycket blod", Somali "dhiig badan" and Tigrinya "ብዙሕ ደም" were triggers; the
    Arabic "دم كتير" was not, and the model alone once left it at "not sure" (bench neighbours).
    A blood test or blood pressure is no emergency, also when "ف" of "فحص" looks like "and"."""
    assert content.urgent_item("دم كتير") == "akut_112"
    assert content.urgent_item("ابني والدم كثير") == "akut_112"
    assert content.urgent_item("ضغط دم كتير عالي") is None
    assert content.urgent_item("بدي فحص دم كتير ضروري") is None


def test_arabic_emergencies_that_round_5s_data_pulled_below_the_rules_have_triggers(content) -> None:
    """After round 5's examples of low mood and medicine, the model was no longer sure of these two
    (bench round5-borders): "I feel I want to end it all", and in Arabizi "my son ate a lot of
    medicine and does not wake up". A trigger answers them whatever the model says."""
    assert content.urgent_item("حاسس بدي انهي كل شي") == "akut_sjalvmord"
    assert content.urgent_item("ibni akal dawa kteer w ma 3am yfi2") in {"akut_112", "forgiftning"}
    assert content.urgent_item("ibni akal dawa kteer") == "forgiftning"


def test_wanting_to_die_by_pills_is_the_suicide_answer_not_the_poisoning_one(content) -> None:
    """In Tigrinya, "wanting to die, I think of taking many pills" matched only the poisoning
    trigger "many pills", so the person got the poisoning answer. Every example the model learns
    the suicide item from, in every language, that fires a trigger must fire the suicide one."""
    assert content.urgent_item("ክመውት ኢለ ብዙሕ ከኒና ክወስድ እሓስብ") == "akut_sjalvmord"
    wrong = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") == "ask_akut_sjalvmord":
                lines = [line.strip().removeprefix("- ") for line in block["examples"].splitlines()]
                wrong += [line for line in lines if content.urgent_item(line) not in (None, "akut_sjalvmord")]
    assert wrong == []


def test_terms_refer_to_items_that_exist_and_a_typo_is_reported_with_its_line(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("audio"))
    terms = folder / "so" / "terms.yml"
    terms.write_text("terms:\n  sjukpeng: [lacagta jirada]\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load(folder)
    assert f"{terms}:2:" in str(error.value)
    assert "sjukpeng" in str(error.value)


def test_a_new_term_is_matched_at_once_without_retraining(content) -> None:
    from dataclasses import replace

    word = "zqxwirlo"
    assert ContentIndex(content).top(word) == [] or ContentIndex(content).top(word)[0].score < 0.5
    extended = replace(content, terms={**content.terms, "so": {**content.terms["so"], "sfi": [word]}})
    assert ContentIndex(extended).top(word)[0].item_id == "sfi"


def test_a_question_about_a_lesson_gets_the_part_that_answers_it(content) -> None:
    assert best_part(content, "varden", "hur bokar jag tid på vårdcentralen", 0.3) == "varden_vardcentral"
    assert best_part(content, "varden", "berätta om vården", 0.3) is None


def test_the_encoder_cache_encodes_each_text_once(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    class Counting:
        name = "counting"

        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(list(texts))
            return np.arange(len(texts) * 2, dtype=np.float32).reshape(len(texts), 2)

    cached = CachedEncoder(Counting(), tmp_path / "cache.npz")
    first = cached.encode(["a", "b", "a"])
    again = CachedEncoder(Counting(), tmp_path / "cache.npz").encode(["b", "c"])
    assert calls == [["a", "b"], ["c"]]
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[1], again[0])


@pytest.mark.parametrize(
    ("ranking", "known_words", "expected"),
    [
        # "maken slår": unsure, but the violence item leads by far
        ([("nlu_fallback", 0.3), ("ask_akut_vald", 0.21), ("ask_situation_brev", 0.07)], 1.0, "ask_akut_vald"),
        # "جوزي عم يمد ايده علي" (my husband raises his hand to me): split between emergencies
        (
            [("nlu_fallback", 0.25), ("ask_akut_112", 0.18), ("ask_akut_vald", 0.09), ("ask_forgiftning", 0.06)],
            1.0,
            "ask_akut_112",
        ),
        # "nolol ma rabo mar dambe" (I don't want to live any more): 'no' ranks first, suicide close
        ([("nlu_fallback", 0.25), ("deny", 0.27), ("ask_akut_sjalvmord", 0.25), ("cancel", 0.08)], 0.8, None),
        # "blorf quxxel zzzt": gibberish lands on 112; not one word the model knows
        ([("nlu_fallback", 0.3), ("ask_akut_112", 0.18), ("ask_akut_vald", 0.05), ("ask_smarta", 0.13)], 0.0, None),
        # "blorf ohkllf zzzt": gibberish with a clear lead on 112 is not an emergency either
        ([("nlu_fallback", 0.25), ("ask_akut_112", 0.219), ("ask_funktionsnedsattning", 0.038)], 0.0, None),
        # the same lead in known words is
        ([("nlu_fallback", 0.25), ("ask_akut_112", 0.219), ("ask_funktionsnedsattning", 0.038)], 0.5, "ask_akut_112"),
        # the same ranking in known words is taken for an emergency
        (
            [("nlu_fallback", 0.3), ("ask_akut_112", 0.18), ("ask_akut_vald", 0.05), ("ask_smarta", 0.13)],
            0.5,
            "ask_akut_112",
        ),
        # "ንመድሃኒት ብዙሕ ከፊለ" (I paid a lot for medicine): 112 first, but no lead over the cost item
        ([("nlu_fallback", 0.3), ("ask_akut_112", 0.24), ("ask_varden_kostnad", 0.22)], 1.0, None),
        # a clear lead, but too weak to say anything
        ([("nlu_fallback", 0.3), ("ask_akut_112", 0.12), ("ask_smarta", 0.05)], 1.0, None),
        # not an emergency at all
        ([("nlu_fallback", 0.3), ("ask_somn", 0.28), ("ask_kost", 0.05)], 1.0, None),
    ],
)
def test_an_unsure_message_is_taken_for_an_emergency_when_emergencies_outweigh_the_rest(
    ranking: list[tuple[str, float]], known_words: float, expected: str | None
) -> None:
    from bot.nlu.emergency import likely_emergency

    parse_data = {
        "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking],
        "known_words": known_words,
    }
    urgent = {"ask_akut_112", "ask_akut_vald", "ask_akut_sjalvmord", "ask_forgiftning"}
    assert likely_emergency(parse_data, urgent) == expected
