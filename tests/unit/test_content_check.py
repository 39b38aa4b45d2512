"""The content check: broken files give exact `file:line: message` errors a coordinator can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import readability
from bot.content.check import example_trigger_problems
from bot.content.store import ContentError, load


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load(root)
    return [str(problem) for problem in raised.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_content_is_valid(content_dir: Path) -> None:
    content = load(content_dir)
    assert content.items["somn"].parts[0].id == "somn_varfor"
    assert content.next_part("somn_varfor") == "somn_rad"
    assert content.next_part("somn_rad") is None
    assert [s.id for s in content.menu()] == ["halsa"]


def test_missing_field_names_the_item_line(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    scope: national\n    parts:", "    parts:")
    assert _problems(content_dir) == [f'{path}:7: scope (gäller var) saknas här. Lägg till raden "scope: ...".']


def test_colon_in_text_is_explained_with_its_line(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "        text: Kroppen vilar när du sover.", "        text: Obs: kroppen vilar.")
    assert _problems(content_dir) == [
        f'{path}:23: ett kolon (:) står mitt i en text. Sätt texten inom citattecken, eller skriv den under ">-".'
    ]


def test_bad_indentation_is_explained(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Vårdcentralen", "   title: Vårdcentralen")
    (problem,) = _problems(content_dir)
    assert problem.startswith(f"{path}:")
    assert "indraget stämmer inte" in problem


def test_duplicate_key_is_reported(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Sömn\n", "    title: Sömn\n    title: Sova\n")
    assert _problems(content_dir) == [f"{path}:9: samma fält står två gånger ('title'). Ta bort det ena."]


def test_unknown_reference_and_duplicate_id(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "related: [vardcentral]", "related: [vardcentralen]")
    _edit(path, "  - id: vardcentral\n", "  - id: somn_rad\n")
    assert _problems(content_dir) == [
        f'{path}:33: id "somn_rad" finns redan i {path}:27. Varje id måste vara unikt.',
        f'{path}:7: "somn" pekar på "vardcentralen" under related, men det id:t finns inte.',
    ]


def test_hard_swedish_fails_the_lix_limit(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(
        path,
        "        text: Drick inte kaffe på kvällen.",
        "        text: Koffeinintag under kvällstimmarna försämrar sömnkvaliteten avsevärt för majoriteten.",
    )
    load(content_dir)  # loading checks structure only: the web server has no spaCy
    (problem,) = [str(found) for found in readability.problems(content_dir)]
    assert problem.startswith(f'{path}:27: "somn_rad" är svår att läsa (LIX ')


def test_unknown_field_and_long_title(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "    title: Sömn\n", "    title: Sömn och vila för kropp och själ varje natt\n    tittle: x\n")
    assert sorted(_problems(content_dir)) == [
        f"{path}:8: rubriken är för lång. Den får vara högst 40 tecken, för den blir en knapp.",
        f'{path}:9: fältet "tittle" känns inte igen. Kolla stavningen, eller ta bort raden.',
    ]


def test_missing_ui_text(content_dir: Path) -> None:
    path = content_dir / "sv" / "ui.yml"
    _edit(path, "  button_next: Nästa\n", "")
    assert _problems(content_dir) == [f'{path}:4: texten "button_next" saknas under strings.']


def test_triggers_match_whole_words_without_diacritics(content_dir: Path) -> None:
    content = load(content_dir)
    assert content.urgent_item("Hjälp! Min pappa ANDAS INTE") == "akut_112"
    assert content.urgent_item("min pappa andas inte?") == "akut_112"
    assert content.urgent_item("jag vill andas bättre") is None


def test_a_changed_blank_in_a_text_the_code_fills_in_is_named(content_dir: Path) -> None:
    path = content_dir / "sv" / "ui.yml"
    _edit(path, "Meddelanden från dig: {messages}.", "Meddelanden från dig: {antal}.")
    [problem] = _problems(content_dir)
    assert problem.startswith(f"{path}:")
    assert 'i "data_figures" får bara {hours} och {messages} stå inom { }' in problem


def test_an_id_too_long_for_telegram_buttons_is_explained(content_dir: Path) -> None:
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "id: somn_rad", "id: somn_rad_om_hur_man_sover_battre_varje_natt")
    assert any("id är för långt. Det får vara högst 30 tecken" in p for p in _problems(content_dir))


def test_a_grouped_number_in_arabic_must_be_isolated(content_dir: Path) -> None:
    path = content_dir / "ar" / "hjalp.yml"
    _edit(path, "رقم الشرطة \u2066114 14\u2069.", "رقم الشرطة 114 14.")
    [problem] = _problems(content_dir)
    assert problem.startswith(f'{path}:9: numret "114 14" visas i fel ordning')
    assert "U+2066 direkt före numret och U+2069 direkt efter" in problem


def test_an_unisolated_number_is_found_on_its_own_line_in_steps_and_ui(content_dir: Path) -> None:
    hjalp = content_dir / "ar" / "hjalp.yml"
    _edit(
        hjalp,
        "    triggers:\n      - لا يتنفس",
        "    steps:\n      - اتصلي\n        بالرقم 020-50 50 50.\n    triggers:\n      - لا يتنفس",
    )
    _edit(
        content_dir / "sv" / "hjalp.yml",
        "    triggers:\n      - andas inte",
        "    steps:\n      - Ring.\n    triggers:\n      - andas inte",
    )
    ui = content_dir / "ar" / "ui.yml"
    _edit(ui, "  button_next: التالي", "  button_next: التالي 0771-524 524")
    assert sorted(p.split(" visas")[0] for p in _problems(content_dir)) == [
        f'{hjalp}:12: numret "020-50 50 50"',
        f'{ui}:8: numret "0771-524 524"',
    ]


def test_grouped_numbers_are_fine_in_left_to_right_text_and_in_example_questions(content_dir: Path) -> None:
    _edit(
        content_dir / "ar" / "hjalp.yml",
        "      - لا يتنفس",
        "      - لا يتنفس\n    examples:\n      - ما هو رقم 114 14",
    )
    load(content_dir)  # Swedish "114 14" in akut_112 and an Arabic example question pass


def test_a_national_item_may_not_name_a_local_service(content_dir: Path) -> None:
    path = content_dir / "sv" / "hjalp.yml"
    _edit(path, "scope: lokal", "scope: national")
    _edit(path, "Jag vet bara om hälsa och myndigheter.", "Fråga din kommun. Eller ring Malmö stad eller Region Skåne.")
    problems = _problems(content_dir)
    assert problems == [
        f'{path}:14: "koordinator" gäller hela Sverige (scope: national) men nämner "koordinator", som bara finns på '
        'vissa orter. Skriv orten i scope (till exempel "scope: Malmö stad"), eller "scope: lokal" och säg i texten '
        "var det finns. Eller ta bort ordet från texten.",
        f'{path}:20: "out_of_scope" gäller hela Sverige (scope: national) men nämner "Malmö stad", "Region Skåne", '
        'som bara finns på vissa orter. Skriv orten i scope (till exempel "scope: Malmö stad"), eller "scope: lokal" '
        "och säg i texten var det finns. Eller ta bort ordet från texten.",
    ]


def test_an_example_question_that_holds_an_emergency_trigger_is_named_with_its_line(content_dir: Path) -> None:
    """The trigger answers such a question first, so it can never reach its own item."""
    assert example_trigger_problems(content_dir, load(content_dir).urgent_item) == []
    path = content_dir / "sv" / "halsa.yml"
    _edit(path, "      - jag kan inte sova\n", "      - jag kan inte sova när pappa andas inte bra\n")
    (problem,) = [str(found) for found in example_trigger_problems(content_dir, load(content_dir).urgent_item)]
    assert problem.startswith(f'{path}:16: frågan "jag kan inte sova när pappa andas inte bra" hos "somn"')
    assert 'får alltid svaret "akut_112"' in problem
